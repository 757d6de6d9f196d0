"""Who the caller is (``caller``) and what their role in a group lets them do (``access``)."""
