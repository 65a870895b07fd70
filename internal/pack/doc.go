// Package pack finds pack directories, reads their metadata (pack.yaml and
// actions/*.yaml) into model types the API can serve as they are, and
// installs the built-in packs onto disk.
//
// Reading follows StackStorm's rules (st2common content loader, PackAPI and
// ActionAPI schemas, the action validator): the first base path that holds a
// pack directory wins, the pack ref comes from `ref`, else the directory
// name, else `name`, and action parameters must be well-formed JSON-schema
// properties with StackStorm's extensions. Reading is forgiving in scope and
// strict in content: a broken pack.yaml skips that pack only, a broken
// action file skips that action only, and every problem comes back as an
// *Error naming the file and line.
//
// Some problems StackStorm does not catch at registration, and st2go
// reports them without refusing the action: templates in parameter
// defaults that the renderer cannot parse, and names they read that will
// not exist when the action runs. These are warnings, kept apart from the
// errors in Loaded.Warnings; they are found with param's own parser, so
// they follow whatever the renderer accepts.
//
// IDs are derived from UIDs, so a pack or action keeps its id across
// restarts and re-registrations.
//
// Of st2go's packages it imports only model, param and yamlfile (which
// reads YAML as StackStorm's PyYAML does), and it never touches the store
// or the bus: registration (the API's POST /packs/register, st2ctl
// register-content, the server's start-up) calls Load or LoadAll, then
// Loaded.CheckRunners with the runner registry, logs the errors of both
// and Loaded.Warnings, and stores the result.
package pack
