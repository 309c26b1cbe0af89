"""Background work behind one interface: in-process threads, or Dramatiq on Redis at scale."""
