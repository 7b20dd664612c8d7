//! Photo storage: presigned S3 URLs so photo bytes never pass through a Lambda.
//! Every key is built here, under `users/<sub>/`, the prefix the IAM policy allows.
use std::time::Duration;

use aws_sdk_s3::error::DisplayErrorContext;
use aws_sdk_s3::presigning::PresigningConfig;
use serde::Serialize;

use crate::error::ApiError;

/// Upload URLs live 5 minutes: long enough for a phone upload, short enough to be useless
/// if leaked.
pub const UPLOAD_TTL: Duration = Duration::from_secs(300);
/// Download URLs are handed out with every event listing; 15 minutes covers a session.
pub const DOWNLOAD_TTL: Duration = Duration::from_secs(900);
pub const MAX_PHOTO_BYTES: u64 = 10 * 1024 * 1024;
pub const CONTENT_TYPES: [(&str, &str); 4] = [
    ("image/jpeg", "jpg"),
    ("image/png", "png"),
    ("image/webp", "webp"),
    ("image/heic", "heic"),
];

#[derive(Clone)]
pub struct Photos {
    s3: aws_sdk_s3::Client,
    bucket: String,
}

/// What the client needs to upload: the URL and the exact headers that were signed.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Upload {
    pub url: String,
    pub method: &'static str,
    pub headers: std::collections::BTreeMap<String, String>,
    pub expires_in_seconds: u64,
}

pub fn extension(content_type: &str) -> Option<&'static str> {
    CONTENT_TYPES
        .iter()
        .find(|(ct, _)| *ct == content_type)
        .map(|(_, ext)| *ext)
}

/// `users/<sub>/batches/<batchId>/<eventId>.<ext>`: only ever built from validated ids.
pub fn photo_key(sub: &str, batch_id: &str, event_id: &str, ext: &str) -> String {
    format!("users/{sub}/batches/{batch_id}/{event_id}.{ext}")
}

impl Photos {
    pub fn new(s3: aws_sdk_s3::Client, bucket: impl Into<String>) -> Photos {
        Photos {
            s3,
            bucket: bucket.into(),
        }
    }

    pub fn bucket(&self) -> &str {
        &self.bucket
    }

    /// A PUT URL whose signature covers Content-Type and Content-Length, so S3 rejects an
    /// upload of another type or size than the one validated.
    pub async fn presign_upload(
        &self,
        key: &str,
        content_type: &str,
        size: u64,
    ) -> Result<Upload, ApiError> {
        let cfg = PresigningConfig::expires_in(UPLOAD_TTL).map_err(ApiError::internal)?;
        let req = self
            .s3
            .put_object()
            .bucket(&self.bucket)
            .key(key)
            .content_type(content_type)
            .content_length(size as i64)
            .presigned(cfg)
            .await
            .map_err(|e| ApiError::internal(DisplayErrorContext(e)))?;
        Ok(Upload {
            url: req.uri().to_string(),
            method: "PUT",
            headers: req
                .headers()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            expires_in_seconds: UPLOAD_TTL.as_secs(),
        })
    }

    pub async fn presign_download(&self, key: &str) -> Result<String, ApiError> {
        let cfg = PresigningConfig::expires_in(DOWNLOAD_TTL).map_err(ApiError::internal)?;
        let req = self
            .s3
            .get_object()
            .bucket(&self.bucket)
            .key(key)
            .presigned(cfg)
            .await
            .map_err(|e| ApiError::internal(DisplayErrorContext(e)))?;
        Ok(req.uri().to_string())
    }
}
