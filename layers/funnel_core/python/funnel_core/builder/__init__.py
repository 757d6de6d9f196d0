"""The funnel builder: funnels, their steps and elements in order, publishing into immutable
versions with rollback, templates (the system catalog and a group's own), deep copies, and the
group users assigned to funnels.

Models in ``models/``, the system templates in ``catalog/``, reads and writes in ``store/``
(internal to the area), and the rules in the modules here, each with the container's
``service()``. ``structure`` is the one way a funnel's order lists change, ``lifecycle`` the one
way its state does, ``copying`` the one way a funnel is made. ``as_things`` shows funnels, steps
and elements on the ontology's generic routes.
"""
