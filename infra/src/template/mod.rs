//! The CloudFormation template model: resources, intrinsic functions, logical IDs.
