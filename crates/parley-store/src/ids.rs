//! Reading typed ids out of rows. A non-null id column decodes as `Uuid` and
//! becomes the typed id through `#[sqlx(try_from = "Uuid")]`; a nullable one
//! cannot go the same way, because `Option<PostId>: TryFrom<Option<Uuid>>`
//! would be a foreign impl on foreign types. [`NullableId`] is the local
//! stand-in for `Option<Uuid>` that makes `#[sqlx(try_from = "NullableId")]`
//! work for `Option<PostId>` and friends.

use parley_core::{CommentId, ConversationId, MediaId, MessageId, NotificationId, PostId, UserId};
use sqlx::decode::Decode;
use sqlx::error::BoxDynError;
use sqlx::{Database, Type};
use uuid::Uuid;

/// A nullable UUID column, decoded exactly as `Option<Uuid>` would be.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NullableId(Option<Uuid>);

impl<DB: Database> Type<DB> for NullableId
where
    Uuid: Type<DB>,
{
    fn type_info() -> DB::TypeInfo {
        <Uuid as Type<DB>>::type_info()
    }

    fn compatible(ty: &DB::TypeInfo) -> bool {
        <Uuid as Type<DB>>::compatible(ty)
    }
}

impl<'r, DB: Database> Decode<'r, DB> for NullableId
where
    Option<Uuid>: Decode<'r, DB>,
{
    fn decode(value: <DB as Database>::ValueRef<'r>) -> Result<Self, BoxDynError> {
        <Option<Uuid> as Decode<'r, DB>>::decode(value).map(Self)
    }
}

macro_rules! nullable_into {
    ($($id:ident),+) => {
        $(impl From<NullableId> for Option<$id> {
            fn from(id: NullableId) -> Self {
                id.0.map($id)
            }
        })+
    };
}
nullable_into!(
    UserId,
    PostId,
    CommentId,
    ConversationId,
    MessageId,
    MediaId,
    NotificationId
);

/// The raw UUIDs of a list of typed ids, for binding an `IN (...)` list.
pub(crate) fn raw<T: Copy + Into<Uuid>>(ids: &[T]) -> impl Iterator<Item = Uuid> + '_ {
    ids.iter().map(|id| (*id).into())
}
