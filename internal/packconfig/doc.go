// Package packconfig reads StackStorm pack configs: a pack's config schema
// (<pack dir>/config.schema.yaml) and its site config (<configs
// dir>/<pack>.yaml, where StackStorm's configs dir is [system] base_path +
// "/configs"). It checks the schema the way StackStorm registers it, checks
// a config against its schema the way StackStorm validates one when it
// registers or saves it, applies schema defaults the way StackStorm's
// config loader does before an action or sensor gets the config, masks
// secret values for API responses, and writes configs back atomically.
//
// Every problem is an *Error naming the file and the line (schema items,
// config attributes; a value that came from a schema default is located at
// that default in the schema file).
//
// Behaviour follows StackStorm (st2common util/config_loader.py,
// util/secrets.py, util/pack.py validate_config_against_schema, models
// api/pack.py ConfigSchemaAPI) with these deliberate differences:
//
//   - Masking covers every place a schema can mark a value secret:
//     properties, patternProperties, additionalProperties, items (one
//     schema or positional) and additionalItems, at any depth, and whole
//     secret objects and arrays. StackStorm's get_secret_parameters follows
//     properties and a single items schema only.
//   - Dynamic values ("{{ st2kv.system.x }}", "{% ... %}") are left as
//     strings: rendering them comes with the Jinja engine. Until it does,
//     validation accepts a dynamic value for an item of any type (StackStorm
//     rejects one for a non-string item, st2#4574), and checks it again
//     only for the decrypt_kv rule on secret items.
//   - An item's type may be a list of types; anyOf, allOf, oneOf, not,
//     dependencies and definitions are accepted in a schema but not
//     checked. Regular expressions are Go's (RE2): a pattern that needs
//     Python-only syntax (lookaround, backreferences) is a schema error.
//   - Error messages never show a secret item's value.
//
// Of st2go's packages it imports only pack (for refs and stable ids),
// pyfmt and yamlfile; the API, registration and the action runner may
// import it.
package packconfig
