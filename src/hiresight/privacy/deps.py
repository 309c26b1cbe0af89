"""The schema the export and erasure walk, handed in by the composition root.

`hiresight.models` imports every domain's tables, this package's included, so this package
cannot import it; the app puts the complete metadata on its state instead.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import MetaData


async def schema(request: Request) -> MetaData:
    """Every table of every domain (`app.state.schema`)."""
    metadata: MetaData = request.app.state.schema
    return metadata


SchemaDep = Annotated[MetaData, Depends(schema)]
