package app

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"

	"github.com/st2go/st2go/internal/bus"
	"github.com/st2go/st2go/internal/sensor"
	"github.com/st2go/st2go/internal/trigger"
)

// newSensorContainer builds the sensor container: each enabled sensor of
// the registered packs runs as its own Python process; what it dispatches
// goes to the rules engine.
func (a *App) newSensorContainer() *sensor.Container {
	return sensor.New(sensor.Options{
		Dir:            filepath.Join(a.cfg.ST2Go.DataDir, "python"),
		Python:         a.cfg.Actionrunner.PythonBinary,
		VirtualenvsDir: filepath.Join(a.cfg.System.BasePath, "virtualenvs"),
		APIURL:         a.actionAPIURL(),
		Token:          a.sensorToken,
		Config:         a.packConfig,
		Dispatch:       a.dispatchFromSensor,
		Event:          a.sensorEvent,
		Logger:         a.log,
	})
}

// sensorToken gives a sensor process a service token while auth is on.
func (a *App) sensorToken(ctx context.Context, s *sensor.SensorType) (string, error) {
	if !a.auth.Enabled() {
		return "", nil
	}
	tok, err := a.auth.IssueServiceToken(ctx, a.cfg.SystemUser.User, map[string]any{"service": "sensors_container", "sensor": s.Ref})
	if err != nil {
		return "", err
	}
	return tok.Token, nil
}

func (a *App) dispatchFromSensor(trig any, payload map[string]any, traceTag string) {
	var trace any
	if traceTag != "" {
		trace = map[string]any{"trace_tag": traceTag}
	}
	a.publishTrigger(trig, payload, trace)
}

func (a *App) sensorEvent(e sensor.Event) {
	a.publishTrigger(e.Trigger(), e.Payload(), nil)
}

func (a *App) publishTrigger(trig any, payload map[string]any, trace any) {
	body, err := json.Marshal(trigger.Dispatch{Trigger: trig, Payload: payload, TraceContext: trace})
	if err == nil {
		err = a.bus.Publish(context.Background(), bus.ExchangeTriggerDispatch, "trigger_instance", body)
	}
	if err != nil {
		a.log.Error("dispatching a sensor trigger", "err", err)
	}
}

// syncSensors hands the container the registered sensors (before the
// container exists, at start, Run does it).
func (a *App) syncSensors(ctx context.Context) {
	if a.sensors == nil {
		return
	}
	docs, err := a.store.SensorTypes().List(ctx)
	if err != nil {
		a.log.Error("listing sensors", "err", err)
		return
	}
	var list []*sensor.SensorType
	for _, d := range docs {
		var st sensor.SensorType
		if err := json.Unmarshal(d.Doc, &st); err != nil {
			a.log.Warn("stored sensor not loaded", "sensor", d.Ref, "err", err)
			continue
		}
		// The file paths are not part of the API document: artifact_uri
		// names the file, the pack record its directory.
		st.FilePath = strings.TrimPrefix(st.ArtifactURI, "file://")
		if p, err := a.store.Content().GetPack(ctx, st.Pack); err == nil {
			st.PackDir = p.Path
		}
		list = append(list, &st)
	}
	a.sensors.Set(list)
}
