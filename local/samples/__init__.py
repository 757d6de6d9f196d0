"""Sample data the tests and `make bench` both seed: a small known world, a funnel at the limits,
an example of every element type."""
