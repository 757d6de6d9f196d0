"""Visitors of the published pages: their first-party id, whether they are a person or a bot,
and the views they make (``page_viewed`` events, and the first view of each step as a
``visitor_viewed_step`` connection, step 1's as ``visitor_entered_funnel``)."""
