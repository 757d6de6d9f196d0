"""Funnel and page templates. ``catalog`` holds their models and the system templates, which
ship with the layer as one JSON file per funnel template in ``system/``."""
