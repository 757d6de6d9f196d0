"""Published pages: a live funnel's steps rendered to HTML at publish time and kept as one item
per public URL, so that serving a page is one GetItem (``keys``, ``store``, ``projection``,
``serving``). ``render`` turns a step of a published version into that HTML."""
