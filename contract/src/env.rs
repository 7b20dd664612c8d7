//! Environment variable names. Which function reads which is declared in
//! [`Function::env`](crate::Function::env).

/// A variable a function reads at start-up; every declared variable is required.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EnvVar {
    /// Name of the single DynamoDB table.
    TableName,
    /// Name of the photos bucket.
    BucketName,
    /// The stage (`dev`, `prod`); the Function construct sets it on every function.
    Stage,
    /// ID of the Cognito user pool (sign-in).
    UserPoolId,
    /// ID of the user pool's app client (sign-in).
    UserPoolClientId,
    /// Expo's push endpoint (the reminder processor).
    ExpoPushUrl,
}

impl EnvVar {
    pub const ALL: [EnvVar; 6] = [
        EnvVar::TableName,
        EnvVar::BucketName,
        EnvVar::Stage,
        EnvVar::UserPoolId,
        EnvVar::UserPoolClientId,
        EnvVar::ExpoPushUrl,
    ];

    /// The variable's name in the process environment.
    pub const fn name(self) -> &'static str {
        match self {
            EnvVar::TableName => "TABLE_NAME",
            EnvVar::BucketName => "BUCKET_NAME",
            EnvVar::Stage => "STAGE",
            EnvVar::UserPoolId => "USER_POOL_ID",
            EnvVar::UserPoolClientId => "USER_POOL_CLIENT_ID",
            EnvVar::ExpoPushUrl => "EXPO_PUSH_URL",
        }
    }
}

impl std::fmt::Display for EnvVar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}
