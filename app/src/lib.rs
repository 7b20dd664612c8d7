//! Shared code of the BubbleBatch Lambda handlers.
