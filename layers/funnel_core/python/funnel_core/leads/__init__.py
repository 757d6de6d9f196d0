"""Leads: what a visitor sends through a live page's form. A post is checked (its signed form
token, its fields against the published form, the visitor's rate, the group's monthly limit)
and written in one transaction: the customer upserted (one per email per group), the
``form_submission``, the visitor's ``visitor_submitted_form`` connection and the
``form_submitted`` event. Spam is kept apart, counted nowhere and triggers nothing."""
