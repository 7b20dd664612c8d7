//! Constructs: typed building blocks (table, bucket, function, ...) with grants.
