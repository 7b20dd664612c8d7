//! Events: `USER#<sub>` / `EVENT#<batchId>#<eventId>`.
use super::batches::to_page;
use super::item::{get_s, n, opt_n, opt_s, put_opt, s, Item};
use super::{Store, StoreError, StoreResult};
use crate::keys;
use crate::model::{BatchType, Event, EventType, Page, Photo};

impl Store {
    pub async fn put_event(&self, sub: &str, e: &Event) -> StoreResult<()> {
        let mut item = Item::from([
            ("PK".into(), s(keys::user_pk(sub))),
            ("SK".into(), s(keys::event_sk(&e.batch_id, &e.id))),
            ("entity".into(), s("event")),
            ("id".into(), s(&e.id)),
            ("batchId".into(), s(&e.batch_id)),
            ("batchName".into(), s(&e.batch_name)),
            ("type".into(), s(e.event_type.as_str())),
            ("occurredAt".into(), s(&e.occurred_at)),
            ("createdAt".into(), s(&e.created_at)),
        ]);
        if let Some(t) = e.batch_type {
            item.insert("batchType".into(), s(t.as_str()));
        }
        put_opt(&mut item, "note", &e.note);
        if let Some(r) = e.rating {
            item.insert("rating".into(), n(r));
        }
        if let Some(p) = &e.photo {
            item.insert("photoKey".into(), s(&p.key));
            item.insert("photoContentType".into(), s(&p.content_type));
            item.insert("photoSize".into(), n(p.size_bytes));
        }
        self.put(item).await
    }

    /// Newest first by creation.
    pub async fn list_events(
        &self,
        sub: &str,
        batch_id: &str,
        limit: usize,
        cursor: Option<&str>,
    ) -> StoreResult<Page<Event>> {
        let items = self
            .query_prefix(
                sub,
                &keys::event_prefix(batch_id),
                cursor.map(|c| keys::event_sk(batch_id, c)),
                limit,
                false,
            )
            .await?;
        let mut page = to_page(items, limit, event_from_item)?;
        page.next_cursor = page
            .next_cursor
            .take()
            .and(page.items.last().map(|e| e.id.clone()));
        Ok(page)
    }
}

pub(crate) fn event_from_item(item: &Item) -> StoreResult<Event> {
    let t = get_s(item, "type")?;
    let photo = match opt_s(item, "photoKey") {
        Some(key) => Some(Photo {
            key,
            content_type: get_s(item, "photoContentType")?,
            size_bytes: opt_n(item, "photoSize").unwrap_or(0),
        }),
        None => None,
    };
    Ok(Event {
        id: get_s(item, "id")?,
        batch_id: get_s(item, "batchId")?,
        event_type: EventType::parse(&t)
            .ok_or_else(|| StoreError::Corrupt(format!("event type {t}")))?,
        occurred_at: get_s(item, "occurredAt")?,
        note: opt_s(item, "note"),
        rating: opt_n(item, "rating"),
        photo,
        created_at: get_s(item, "createdAt")?,
        batch_name: opt_s(item, "batchName").unwrap_or_default(),
        batch_type: opt_s(item, "batchType").and_then(|t| BatchType::parse(&t)),
    })
}
