//! Push devices: `USER#<sub>` / `DEVICE#<expoToken>`. Registering twice overwrites, so
//! the app can re-register on every launch.
use super::item::{get_s, s, Item};
use super::{sdk, Store, StoreResult};
use crate::keys;
use crate::model::Device;

impl Store {
    pub async fn put_device(&self, sub: &str, d: &Device) -> StoreResult<()> {
        let item = Item::from([
            ("PK".into(), s(keys::user_pk(sub))),
            ("SK".into(), s(keys::device_sk(&d.token))),
            ("entity".into(), s("device")),
            ("token".into(), s(&d.token)),
            ("platform".into(), s(&d.platform)),
            ("updatedAt".into(), s(&d.updated_at)),
        ]);
        self.put(item).await
    }

    /// All devices of one user (a handful; capped defensively at 100).
    pub async fn list_devices(&self, sub: &str) -> StoreResult<Vec<Device>> {
        let items = self
            .query_prefix(sub, keys::DEVICE_PREFIX, None, 99, true)
            .await?;
        items
            .iter()
            .map(|i| {
                Ok(Device {
                    token: get_s(i, "token")?,
                    platform: get_s(i, "platform")?,
                    updated_at: get_s(i, "updatedAt")?,
                })
            })
            .collect()
    }

    pub async fn delete_device(&self, sub: &str, token: &str) -> StoreResult<()> {
        self.ddb
            .delete_item()
            .table_name(&self.table)
            .key("PK", s(keys::user_pk(sub)))
            .key("SK", s(keys::device_sk(token)))
            .send()
            .await
            .map_err(sdk)?;
        Ok(())
    }
}
