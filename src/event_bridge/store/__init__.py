"""Storage: the ``Repository`` protocol (``repository``), its in-memory and SQL
implementations (``memory``, ``sql``) and the Alembic migrations."""
