//! Rules over a resolved [`Schema`], one small function each, named like the sentence it checks.
//!
//! Every rule runs even after others failed, so a user sees every problem at once. Rules that
//! depend on the database ask the provider's [`Capabilities`](crate::provider::Capabilities).

mod fields;
mod models;
mod names;
mod relations;

use crate::diagnostics::Diagnostics;
use crate::schema::Schema;

pub fn validate(schema: &Schema, diags: &mut Diagnostics) {
    names::database_names_are_unique(schema, diags);
    for model_id in schema.model_ids() {
        let model = schema.model(model_id);
        names::column_names_are_unique(model, diags);
        models::has_a_unique_criterion(model, diags);
        models::primary_key_fields_are_required(model, diags);
        models::indexes_fit_the_provider(model, schema, diags);
        models::views_have_no_indexes(model, diags);
        for field in model.fields.values() {
            fields::updated_at_is_on_a_datetime(field, diags);
            fields::scalar_lists_are_supported(field, schema, diags);
            fields::native_type_fits(field, schema, diags);
            fields::default_fits_the_provider(field, schema, diags);
            fields::view_fields_have_no_write_attributes(model, field, diags);
            fields::relations_to_ignored_models_are_ignored(field, schema, diags);
        }
        fields::autoincrement_fits_the_provider(model, schema, diags);
    }
    models::constraint_names_are_unique(schema, diags);
    models::schema_annotations_match_the_datasource(schema, diags);
    for relation in &schema.relations {
        relations::sides_are_well_formed(relation, schema, diags);
    }
    for model_id in schema.model_ids() {
        for (field_id, _) in schema.model(model_id).relation_fields() {
            relations::arguments_are_consistent(model_id, field_id, schema, diags);
        }
    }
}
