//! Policy-as-code: cfn-guard rules from `policies/` evaluated in-process.
