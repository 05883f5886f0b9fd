"""Storage: the ``Repository`` protocol and its implementations."""

from .repository import Block, FeedDiff, FeedState, PublishedRecord, Repository, Snapshot

__all__ = ["Block", "FeedDiff", "FeedState", "PublishedRecord", "Repository", "Snapshot"]
