//! A typed property value: a literal of the property's type, or an intrinsic function.
//!
//! Generated property structs use `Val<T>` wherever CloudFormation accepts an intrinsic,
//! so `billing_mode: Some(BillingMode::PayPerRequest.into())` and
//! `table_name: Some(Expr::sub("${AWS::StackName}-t").into())` are both well typed,
//! while a `bool` can never land in a string property.
use serde::{Serialize, Serializer};

use crate::expr::Expr;

#[derive(Debug, Clone, PartialEq)]
pub enum Val<T> {
    Lit(T),
    Expr(Expr),
}

impl<T: Serialize> Serialize for Val<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Val::Lit(value) => value.serialize(serializer),
            Val::Expr(expr) => expr.serialize(serializer),
        }
    }
}

impl<T> Val<T> {
    /// The literal, if this is one (policy checks and reports read literals).
    pub fn literal(&self) -> Option<&T> {
        match self {
            Val::Lit(value) => Some(value),
            Val::Expr(_) => None,
        }
    }
}

impl<T> From<Expr> for Val<T> {
    fn from(expr: Expr) -> Self {
        Val::Expr(expr)
    }
}

impl<T> From<&Expr> for Val<T> {
    fn from(expr: &Expr) -> Self {
        Val::Expr(expr.clone())
    }
}

impl From<&str> for Val<String> {
    fn from(s: &str) -> Self {
        Val::Lit(s.to_string())
    }
}

impl From<String> for Val<String> {
    fn from(s: String) -> Self {
        Val::Lit(s)
    }
}

impl From<&String> for Val<String> {
    fn from(s: &String) -> Self {
        Val::Lit(s.clone())
    }
}

impl From<bool> for Val<bool> {
    fn from(b: bool) -> Self {
        Val::Lit(b)
    }
}

macro_rules! integer_into_val {
    ($($t:ty),*) => {$(
        impl From<$t> for Val<i64> {
            fn from(n: $t) -> Self {
                Val::Lit(i64::from(n))
            }
        }
        impl From<$t> for Val<f64> {
            fn from(n: $t) -> Self {
                Val::Lit(f64::from(n))
            }
        }
    )*};
}
integer_into_val!(i32, u32, u16, u8);

impl From<i64> for Val<i64> {
    fn from(n: i64) -> Self {
        Val::Lit(n)
    }
}

impl From<f64> for Val<f64> {
    fn from(n: f64) -> Self {
        Val::Lit(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn literals_and_intrinsics_serialize_like_cloudformation() {
        let name: Val<String> = "t".into();
        let sub: Val<String> = Expr::sub("${AWS::StackName}-t").into();
        let n: Val<i64> = 30u32.into();
        assert_eq!(serde_json::to_value(&name).unwrap(), json!("t"));
        assert_eq!(
            serde_json::to_value(&sub).unwrap(),
            json!({"Fn::Sub": "${AWS::StackName}-t"})
        );
        assert_eq!(serde_json::to_value(&n).unwrap(), json!(30));
        assert_eq!(name.literal().map(String::as_str), Some("t"));
        assert_eq!(sub.literal(), None);
    }
}
