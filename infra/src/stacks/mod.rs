//! The five BubbleBatch stacks, declared with constructs.
pub mod stage;
