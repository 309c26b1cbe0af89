"""Background work behind one interface: in-process threads by default, Dramatiq on Redis at scale."""
