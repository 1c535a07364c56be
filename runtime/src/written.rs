//! Writes of many rows that return them: `create_many_and_return`, `update_many_and_return`.
//!
//! PostgreSQL and SQLite return the rows with `RETURNING`. MySQL has no `RETURNING`, so there
//! the rows are read back by primary key in the same transaction: for a create, the keys the
//! client knows (given values, client-side defaults) or, for an autoincrement key, the ids one
//! multi-row insert took (consecutive while InnoDB's lock mode promises it, one insert per row
//! when it doesn't); for an update, the keys of the matching rows are read first, exactly those
//! rows are updated, and read back under their keys as the update leaves them.

use chrono::Utc;
use orm_db_schema::Dialect;

use crate::db::Conn;
use crate::db::Db;
use crate::error::Error;
use crate::field::{Filter, FilterNode, Set, SetOp};
use crate::load::{Key, key, key_condition};
use crate::model::{CreateData, Model, Table};
use crate::query::{Conflict, Scope, Select, SelectItem, Sql, Update as UpdateStatement, bind_limit, render};
use crate::value::Value;
use crate::write::{assignments, chunks, create_row, insert, returning, update_sets};

/// `create_many_and_return`: inserts many records like `create_many` (batched, one
/// transaction) and returns them as stored, in the order given.
pub struct CreateManyAndReturn<M: Model> {
    db: Db,
    rows: Vec<CreateData<M>>,
    skip_duplicates: bool,
}

impl<M: Model> CreateManyAndReturn<M> {
    pub(crate) fn new(db: Db, rows: Vec<CreateData<M>>) -> Self {
        CreateManyAndReturn { db, rows, skip_duplicates: false }
    }

    /// Leaves out rows that would violate a unique constraint (and returns only those created).
    /// Not on MySQL, which can't tell which rows of the statement it skipped.
    pub fn skip_duplicates(mut self) -> Self {
        self.skip_duplicates = true;
        self
    }

    pub async fn exec(self) -> Result<Vec<M>, Error> {
        let rows: Vec<_> = self.rows.into_iter().map(CreateData::into_row).collect();
        crate::write::no_related(&rows, "create_many_and_return")?;
        let now = Utc::now();
        let rows = rows.into_iter().map(|r| create_row(r, now)).collect::<Result<Vec<_>, _>>()?;
        let skip = self.skip_duplicates;
        self.db
            .atomically(move |tx| async move {
                let dialect = tx.dialect();
                let mut conn = tx.conn().await?;
                insert_and_return::<M>(&mut conn, dialect, rows, skip).await
            })
            .await
    }
}

/// Inserts rows (their columns and values), in statements under the bind limit, and returns
/// the records in the order given; inside a transaction when there is more than one row.
pub(crate) async fn insert_and_return<M: Model>(
    conn: &mut Conn<'_>,
    dialect: Dialect,
    rows: Vec<(Vec<usize>, Vec<Value>)>,
    skip: bool,
) -> Result<Vec<M>, Error> {
    let table = M::TABLE;
    if let [_] = rows.as_slice()
        && !skip
    {
        let Some((columns, row)) = rows.into_iter().next() else { return Ok(Vec::new()) };
        return Ok(vec![crate::write::insert_returning::<M>(conn, dialect, columns, row).await?]);
    }
    let mut created = Vec::with_capacity(rows.len());
    if dialect != Dialect::Mysql {
        for (columns, chunk) in chunks(rows, dialect) {
            let mut statement = insert(table, &columns, chunk, skip.then_some(Conflict::Ignore));
            statement.returning = returning(table);
            for row in &conn.fetch_all(render(dialect, statement), Some(table)).await? {
                created.push(M::from_row(row, 0)?);
            }
        }
        return Ok(created);
    }
    if skip {
        return Err(Error::Validation(format!(
            "`create_many_and_return` of `{}` can't skip duplicates on MySQL, which doesn't say \
             which rows it skipped: use `create_many().skip_duplicates()` and read the records after",
            table.model
        )));
    }
    if rows.is_empty() {
        return Ok(created);
    }
    let ids = MysqlIds::read(conn, table).await?;
    for (columns, chunk) in chunks(rows, dialect) {
        let keys = ids.insert(conn, table, &columns, chunk).await?;
        let written = keys.len();
        let read = read_back::<M>(conn, dialect, keys).await?;
        if read.len() != written {
            // Undoes the inserts: a record the client can't return is not created.
            return Err(Error::Validation(format!(
                "MySQL wrote {written} `{}` records but found only {} by their primary keys (a key \
                 column the database stores differently, such as a rounded DateTime)",
                table.model,
                read.len()
            )));
        }
        created.extend(read);
    }
    Ok(created)
}

/// How MySQL numbers the autoincrement ids of one multi-row insert.
struct MysqlIds {
    /// Whether one statement's ids are consecutive (InnoDB lock modes 0 and 1).
    consecutive: bool,
    /// `@@auto_increment_increment`: the step between them.
    step: i64,
}

impl MysqlIds {
    /// Asks the server, when the table has an autoincrement key (otherwise nothing is needed).
    async fn read(conn: &mut Conn<'_>, table: &'static Table) -> Result<MysqlIds, Error> {
        if !table.primary_key.iter().any(|&c| table.columns[c].autoincrement) {
            return Ok(MysqlIds { consecutive: true, step: 1 });
        }
        let sql = Sql {
            text: "SELECT CAST(@@innodb_autoinc_lock_mode AS SIGNED), CAST(@@auto_increment_increment AS SIGNED)"
                .into(),
            binds: Vec::new(),
        };
        let rows = conn.fetch_all(sql, None).await?;
        let row = rows.first().ok_or_else(|| Error::Validation("MySQL returned no server settings".into()))?;
        let (mode, step): (i64, i64) = (row.get(0)?, row.get(1)?);
        Ok(MysqlIds { consecutive: mode <= 1, step: step.max(1) })
    }

    /// Inserts `rows` (values for `columns`), one statement when their keys can be told, and
    /// returns each row's primary key.
    async fn insert(
        &self,
        conn: &mut Conn<'_>,
        table: &'static Table,
        columns: &[usize],
        rows: Vec<Vec<Value>>,
    ) -> Result<Vec<Vec<Value>>, Error> {
        let generated = table.primary_key.iter().any(|&c| !columns.contains(&c) && table.columns[c].autoincrement);
        let mut keys = Vec::with_capacity(rows.len());
        if generated && !self.consecutive {
            for row in rows {
                let done =
                    conn.execute(render(Dialect::Mysql, insert(table, columns, vec![row.clone()], None)), Some(table));
                let id = done.await?.last_insert_id;
                keys.push(primary_key(table, columns, &row, id)?);
            }
            return Ok(keys);
        }
        let statement = insert(table, columns, rows.clone(), None);
        let first = conn.execute(render(Dialect::Mysql, statement), Some(table)).await?.last_insert_id;
        for (i, row) in rows.iter().enumerate() {
            let id = first.map(|first| first + self.step * i64::try_from(i).unwrap_or(i64::MAX));
            keys.push(primary_key(table, columns, row, id)?);
        }
        Ok(keys)
    }
}

/// A row's primary key: its given values, and the generated `id` for an autoincrement column.
fn primary_key(table: &'static Table, columns: &[usize], row: &[Value], id: Option<i64>) -> Result<Vec<Value>, Error> {
    if table.primary_key.is_empty() {
        return Err(Error::Validation(format!(
            "MySQL can't return the written `{}` records: the model has no primary key to read them back by",
            table.model
        )));
    }
    table
        .primary_key
        .iter()
        .map(|&c| match columns.iter().position(|&x| x == c) {
            Some(at) => Ok(row[at].clone()),
            None => match (table.columns[c].autoincrement, id) {
                (true, Some(id)) => Ok(match table.columns[c].kind {
                    crate::ScalarKind::Int => Value::Int(i32::try_from(id).map_err(|_| {
                        Error::Validation(format!("the generated id {id} of `{}` doesn't fit an Int", table.model))
                    })?),
                    _ => Value::BigInt(id),
                }),
                _ => Err(Error::Validation(format!(
                    "MySQL can't return the created `{}` records: `{}` is generated by the database",
                    table.model, table.columns[c].field
                ))),
            },
        })
        .collect()
}

/// The records under `keys` (primary keys), in the order of `keys`; keys no row has are left
/// out.
async fn read_back<M: Model>(conn: &mut Conn<'_>, dialect: Dialect, keys: Vec<Vec<Value>>) -> Result<Vec<M>, Error> {
    let table = M::TABLE;
    let pk = table.primary_key;
    let mut found: std::collections::HashMap<Key, M> = std::collections::HashMap::new();
    for chunk in crate::load::chunks(dialect, keys.clone(), pk.len()) {
        let select = Select::records(table, Some(key_condition(table, Scope::Bare, pk, chunk)));
        for row in &conn.fetch_all(render(dialect, select), Some(table)).await? {
            let values = pk.iter().map(|&c| row.value(c, table.columns[c].kind)).collect::<Result<Vec<_>, _>>()?;
            if let Some(k) = key(values) {
                found.insert(k, M::from_row(row, 0)?);
            }
        }
    }
    Ok(keys.into_iter().filter_map(|k| key(k).and_then(|k| found.remove(&k))).collect())
}

/// `update_many_and_return`: changes every record matching the filter and returns them as the
/// update left them.
pub struct UpdateManyAndReturn<M: Model> {
    db: Db,
    filter: Option<FilterNode>,
    sets: Vec<Set<M>>,
}

impl<M: Model> UpdateManyAndReturn<M> {
    pub(crate) fn new(db: Db) -> Self {
        UpdateManyAndReturn { db, filter: None, sets: Vec::new() }
    }

    pub fn filter(mut self, filter: Filter<M>) -> Self {
        self.filter = Some(FilterNode::conjoin(self.filter.take(), filter.node));
        self
    }

    /// An assignment: `post::title.set("…")`, `post::views.increment(1)`.
    pub fn data(mut self, set: Set<M>) -> Self {
        self.sets.push(set);
        self
    }

    pub async fn exec(self) -> Result<Vec<M>, Error> {
        let table = M::TABLE;
        let sets = update_sets(self.sets, Utc::now());
        let dialect = self.db.dialect();
        let filter = self.filter.map(|f| f.top_level(table));
        if sets.is_empty() {
            let select = render(dialect, Select::records(table, filter));
            let rows = self.db.conn().await?.fetch_all(select, Some(table)).await?;
            return rows.iter().map(|r| M::from_row(r, 0)).collect();
        }
        if dialect != Dialect::Mysql {
            let statement = UpdateStatement {
                table,
                sets: assignments(table, sets, Scope::Bare),
                filter,
                returning: returning(table),
            };
            let rows = self.db.conn().await?.fetch_all(render(dialect, statement), Some(table)).await?;
            return rows.iter().map(|r| M::from_row(r, 0)).collect();
        }
        self.db
            .atomically(move |tx| async move {
                let mut conn = tx.conn().await?;
                let pk = table.primary_key;
                if pk.is_empty() {
                    return Err(Error::Validation(format!(
                        "MySQL can't return the updated `{}` records: the model has no primary key to read them back by",
                        table.model
                    )));
                }
                // The keys of the rows to change, then the keys they will have.
                let items =
                    pk.iter().map(|&c| SelectItem::Column(crate::query::ColumnRef { scope: Scope::Bare, column: &table.columns[c] }));
                let mut select = Select::new(crate::query::TableRef { table, alias: None }, items.collect());
                select.filter = filter;
                // Locked, so a concurrent update of the same rows waits and then sees them changed.
                select.for_update = true;
                let rows = conn.fetch_all(render(dialect, select), Some(table)).await?;
                let old: Vec<Vec<Value>> = rows
                    .iter()
                    .map(|row| pk.iter().enumerate().map(|(i, &c)| row.value(i, table.columns[c].kind)).collect())
                    .collect::<Result<_, _>>()?;
                let new = old.iter().map(|k| key_after(table, k, &sets)).collect::<Result<Vec<_>, _>>()?;
                // Leave room for the assignments' binds.
                let per_statement = ((bind_limit(dialect) - sets.len() - 1_000) / pk.len()).max(1);
                for chunk in old.chunks(per_statement) {
                    let statement = UpdateStatement {
                        table,
                        sets: assignments(table, sets.clone(), Scope::Bare),
                        filter: Some(key_condition(table, Scope::Bare, pk, chunk.to_vec())),
                        returning: Vec::new(),
                    };
                    conn.execute(render(dialect, statement), Some(table)).await?;
                }
                read_back::<M>(&mut conn, dialect, new).await
            })
            .await
    }
}

/// A row's primary key after `sets`: a key column set to a value takes it; arithmetic on one is
/// refused (the new key can't be known without reading it).
fn key_after(table: &'static Table, old: &[Value], sets: &[(usize, SetOp)]) -> Result<Vec<Value>, Error> {
    table
        .primary_key
        .iter()
        .zip(old)
        .map(|(&c, value)| match sets.iter().rev().find(|(column, _)| *column == c) {
            Some((_, SetOp::Value(v))) => Ok(v.clone()),
            Some((_, SetOp::Arithmetic(..))) => Err(Error::Validation(format!(
                "arithmetic on `{}.{}`, part of the primary key, is not supported",
                table.model, table.columns[c].field
            ))),
            None => Ok(value.clone()),
        })
        .collect()
}
