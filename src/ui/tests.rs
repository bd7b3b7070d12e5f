//! Snapshots of every view in every state on a `TestBackend`.
