use sea_orm::entity::prelude::*;

/// A secret the server generates once and every instance shares (e.g. the key that signs
/// unsubscribe links). Never sent anywhere.
#[derive(Clone, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "server_secrets")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub name: String,
    pub value: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// Written out without the value.
impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerSecret")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}
