//! Deploy engine (AWS SDK).
