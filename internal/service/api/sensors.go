package api

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/st2go/st2go/internal/model"
	"github.com/st2go/st2go/internal/sensor"
	"github.com/st2go/st2go/internal/store"
)

func (a *API) sensorsChanged(ctx context.Context) {
	if a.opts.SensorsChanged != nil {
		a.opts.SensorsChanged(ctx)
	}
}

func decodeSensor(d *model.StoredDoc) (*sensor.SensorType, error) {
	var st sensor.SensorType
	if err := json.Unmarshal(d.Doc, &st); err != nil {
		return nil, err
	}
	return &st, nil
}

func (a *API) listSensorTypes(r *http.Request) (*response, error) {
	p, err := parseList(r)
	if err != nil {
		return nil, err
	}
	docs, err := a.opts.Store.SensorTypes().List(r.Context())
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	out := []*sensor.SensorType{}
	for _, d := range docs {
		st, err := decodeSensor(d)
		if err != nil {
			continue
		}
		if (q.Get("pack") == "" || st.Pack == q.Get("pack")) && (q.Get("enabled") == "" || st.Enabled == queryBool(r, "enabled")) {
			out = append(out, st)
		}
	}
	return listResponse(page(out, p), len(out), p)
}

func (a *API) findSensor(r *http.Request) (*sensor.SensorType, error) {
	ref := r.PathValue("ref")
	d, err := a.opts.Store.SensorTypes().Get(r.Context(), ref)
	if errors.Is(err, store.ErrNotFound) {
		return nil, notFound("Resource with a reference or id \"%s\" not found", ref)
	}
	if err != nil {
		return nil, err
	}
	return decodeSensor(d)
}

func (a *API) getSensorType(r *http.Request) (*response, error) {
	st, err := a.findSensor(r)
	if err != nil {
		return nil, err
	}
	return ok(st)
}

// updateSensorType is PUT /sensortypes/<ref>: only enabled may change (the
// container starts or stops the sensor at once).
func (a *API) updateSensorType(r *http.Request) (*response, error) {
	st, err := a.findSensor(r)
	if err != nil {
		return nil, err
	}
	var body struct {
		Enabled *bool `json:"enabled"`
	}
	if err := decodeBody(r, &body); err != nil {
		return nil, err
	}
	if body.Enabled != nil {
		st.Enabled = *body.Enabled
	}
	doc, err := json.Marshal(st)
	if err != nil {
		return nil, err
	}
	if err := a.opts.Store.SensorTypes().Put(r.Context(), &model.StoredDoc{ID: st.ID, Ref: st.Ref, Pack: st.Pack, Doc: doc}); err != nil {
		return nil, err
	}
	a.sensorsChanged(r.Context())
	return ok(st)
}
