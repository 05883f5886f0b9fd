"""event-bridge: one merged, linked iCalendar feed for Paris and San Francisco."""

__version__ = "0.1.0"
