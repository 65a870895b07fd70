package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/st2go/st2go/internal/model"
	"github.com/st2go/st2go/internal/pack"
	"github.com/st2go/st2go/internal/packconfig"
	"github.com/st2go/st2go/internal/store"
)

// Pack configs and config schemas (StackStorm's pack_configs.py and
// pack_config_schemas.py controllers). st2go keeps no copy of them in the
// store: the files are the truth, read on every request, so an edited
// <configs dir>/<pack>.yaml shows at once. Values are served as the file
// holds them (schema defaults are for actions and sensors), masked by the
// pack's schema unless the request asks show_secrets=true.

// configView is StackStorm's ConfigAPI.
type configView struct {
	ID     string         `json:"id"`
	Pack   string         `json:"pack"`
	Values map[string]any `json:"values"`
}

// configSchemaView is StackStorm's ConfigSchemaAPI.
type configSchemaView struct {
	ID         string         `json:"id"`
	Pack       string         `json:"pack"`
	Attributes map[string]any `json:"attributes"`
}

// configID and configSchemaID are stable ids, like the other content ids.
func configID(ref string) string       { return pack.StableID("config:" + ref) }
func configSchemaID(ref string) string { return pack.StableID("config_schema:" + ref) }

func (a *API) configsDir() (string, error) {
	if a.opts.ConfigsDir == "" {
		return "", &apiError{status: http.StatusNotImplemented, msg: "pack configs are not available on this server"}
	}
	return a.opts.ConfigsDir, nil
}

func noPackConfig(ref string) error {
	return notFound("Unable to identify resource with pack_ref \"%s\".", ref)
}

// schemaPath is where a registered pack's config schema would be.
func schemaPath(pk *model.Pack) string {
	if pk.Path == "" {
		return ""
	}
	return filepath.Join(pk.Path, packconfig.SchemaFile)
}

// loadConfig reads a pack's schema and config. A config that does not
// match its schema is still served (and logged); a file that cannot be
// read is an error, as a config cannot be masked without its schema.
func (a *API) loadConfig(pk *model.Pack, dir string) (*packconfig.Loaded, error) {
	l, err := packconfig.Load(pk.Ref, schemaPath(pk), dir)
	if l == nil {
		return nil, &apiError{status: http.StatusInternalServerError, msg: err.Error()}
	}
	if err != nil {
		a.log.Warn("pack config does not match its schema", "pack", pk.Ref, "err", err)
	}
	return l, nil
}

func (a *API) configView(r *http.Request, l *packconfig.Loaded) configView {
	values := l.Config.Values
	if a.opts.MaskSecrets && !queryBool(r, "show_secrets") {
		values = packconfig.Mask(values, l.Schema).(map[string]any)
	}
	return configView{ID: configID(l.Pack), Pack: l.Pack, Values: values}
}

func (a *API) listConfigs(r *http.Request) (*response, error) {
	p, err := parseList(r)
	if err != nil {
		return nil, err
	}
	dir, err := a.configsDir()
	if err != nil {
		return nil, err
	}
	packs, err := a.opts.Store.Content().ListPacks(r.Context())
	if err != nil {
		return nil, err
	}
	sort.Slice(packs, func(i, j int) bool { return packs[i].Ref < packs[j].Ref })
	out := []configView{}
	for _, pk := range packs {
		if _, err := os.Stat(packconfig.Path(dir, pk.Ref)); err != nil {
			continue
		}
		l, err := a.loadConfig(pk, dir)
		if err != nil {
			a.log.Warn("pack config left out of the list", "pack", pk.Ref, "err", err)
			continue
		}
		if l.Config != nil {
			out = append(out, a.configView(r, l))
		}
	}
	return listResponse(page(out, p), len(out), p)
}

func (a *API) getConfig(r *http.Request) (*response, error) {
	dir, err := a.configsDir()
	if err != nil {
		return nil, err
	}
	ref := r.PathValue("pack")
	pk, err := a.opts.Store.Content().GetPack(r.Context(), ref)
	if errors.Is(err, store.ErrNotFound) {
		return nil, noPackConfig(ref)
	}
	if err != nil {
		return nil, err
	}
	l, err := a.loadConfig(pk, dir)
	if err != nil {
		return nil, err
	}
	if l.Config == nil {
		return nil, noPackConfig(ref)
	}
	return ok(a.configView(r, l))
}

// putConfig replaces a pack's config with the request body, after checking
// it against the pack's schema, and answers with the config as saved.
func (a *API) putConfig(r *http.Request) (*response, error) {
	dir, err := a.configsDir()
	if err != nil {
		return nil, err
	}
	ref := r.PathValue("pack")
	pk, err := a.opts.Store.Content().GetPack(r.Context(), ref)
	if errors.Is(err, store.ErrNotFound) {
		return nil, noPackConfig(ref)
	}
	if err != nil {
		return nil, err
	}
	values, err := decodeObject(r)
	if err != nil {
		return nil, err
	}
	var schema *packconfig.Schema
	if path := schemaPath(pk); path != "" {
		schema, err = packconfig.LoadSchema(path)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, &apiError{status: http.StatusInternalServerError, msg: fmt.Sprintf("loading config schema of pack %q: %v", ref, err)}
		}
	}
	file := packconfig.Path(dir, ref)
	if err := packconfig.Validate(packconfig.NewConfig(file, values), schema); err != nil {
		return nil, badRequest("%s", validationMessage(ref, err))
	}
	if _, err := packconfig.Save(dir, ref, values); err != nil {
		return nil, err
	}
	a.log.Info("pack config saved", "pack", ref, "user", a.requester(r))
	l := &packconfig.Loaded{Pack: ref, Schema: schema, Config: packconfig.NewConfig(file, values)}
	return ok(a.configView(r, l))
}

// validationMessage words config problems as StackStorm does: 'Failed
// validating attribute "a.b" in config for pack "p" (<file>): <problem>',
// one line per problem.
func validationMessage(ref string, err error) string {
	list := []error{err}
	if j, isJoin := err.(interface{ Unwrap() []error }); isJoin {
		list = j.Unwrap()
	}
	lines := make([]string, 0, len(list))
	for _, e := range list {
		var pe *packconfig.Error
		switch {
		case errors.Is(e, packconfig.ErrDecryptKVOnSecret):
			lines = append(lines, packconfig.ErrDecryptKVOnSecret.Error())
		case errors.As(e, &pe):
			where := pe.File
			if pe.Line > 0 {
				where = fmt.Sprintf("%s:%d", pe.File, pe.Line)
			}
			lines = append(lines, fmt.Sprintf("Failed validating attribute \"%s\" in config for pack \"%s\" (%s): %v", pe.Attribute, ref, where, pe.Err))
		default:
			lines = append(lines, e.Error())
		}
	}
	return strings.Join(lines, "\n")
}

// decodeObject reads a JSON object body, numbers as Python reads them.
func decodeObject(r *http.Request) (map[string]any, error) {
	dec := json.NewDecoder(r.Body)
	dec.UseNumber()
	var raw any
	if err := dec.Decode(&raw); err != nil {
		return nil, badRequest("invalid JSON body: %v", err)
	}
	obj, isObj := normalizeNumbers(raw).(map[string]any)
	if !isObj {
		return nil, badRequest("request body must be a JSON object, not %s", jsonType(raw))
	}
	return obj, nil
}

func (a *API) listConfigSchemas(r *http.Request) (*response, error) {
	p, err := parseList(r)
	if err != nil {
		return nil, err
	}
	packs, err := a.opts.Store.Content().ListPacks(r.Context())
	if err != nil {
		return nil, err
	}
	sort.Slice(packs, func(i, j int) bool { return packs[i].Ref < packs[j].Ref })
	out := []configSchemaView{}
	for _, pk := range packs {
		path := schemaPath(pk)
		if path == "" {
			continue
		}
		s, err := packconfig.LoadSchema(path)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			a.log.Warn("pack config schema left out of the list", "pack", pk.Ref, "err", err)
			continue
		}
		out = append(out, configSchemaView{ID: configSchemaID(pk.Ref), Pack: pk.Ref, Attributes: s.Attributes})
	}
	return listResponse(page(out, p), len(out), p)
}

func (a *API) getConfigSchema(r *http.Request) (*response, error) {
	ref := r.PathValue("pack")
	pk, err := a.opts.Store.Content().GetPack(r.Context(), ref)
	if errors.Is(err, store.ErrNotFound) {
		return nil, notFound("Resource with a reference or id \"%s\" not found", ref)
	}
	if err != nil {
		return nil, err
	}
	path := schemaPath(pk)
	if path == "" {
		return nil, noPackConfig(ref)
	}
	s, err := packconfig.LoadSchema(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, noPackConfig(ref)
	}
	if err != nil {
		return nil, &apiError{status: http.StatusInternalServerError, msg: err.Error()}
	}
	return ok(configSchemaView{ID: configSchemaID(ref), Pack: ref, Attributes: s.Attributes})
}
