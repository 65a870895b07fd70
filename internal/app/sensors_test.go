package app_test

import (
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/st2go/st2go/internal/app/apptest"
)

// TestPythonSensorRule: a Python polling sensor from a pack dispatches a
// trigger that a rule turns into an execution; when the sensor process is
// killed, st2go starts it again and it goes on dispatching.
func TestPythonSensorRule(t *testing.T) {
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("SKIPPED: python3 is not installed, so Python sensors cannot run here")
	}
	s := apptest.Start(t, apptest.Options{})
	counts := writePack(t, s, "beat", map[string]string{
		"pack.yaml": "ref: beat\nname: beat\ndescription: a heartbeat sensor\nversion: 0.1.0\nauthor: me\n",
		"sensors/beat.yaml": `class_name: BeatSensor
entry_point: beat.py
poll_interval: 3600
trigger_types:
  - name: beat
    payload_schema: {type: object, properties: {n: {type: integer}}}
`,
		"sensors/beat.py": `import os
from st2reactor.sensor.base import PollingSensor


class BeatSensor(PollingSensor):
    def setup(self):
        pass

    def poll(self):
        # One beat per process start: the pid tells the runs apart.
        self.sensor_service.dispatch(trigger="beat.beat", payload={"n": os.getpid()})

    def cleanup(self):
        pass

    def add_trigger(self, trigger):
        pass

    def update_trigger(self, trigger):
        pass

    def remove_trigger(self, trigger):
        pass
`,
		"rules/on_beat.yaml": `name: on_beat
pack: beat
enabled: true
trigger: {type: beat.beat}
action:
  ref: core.echo
  parameters: {message: "beat {{ trigger.n }}"}
`,
	})
	if counts["sensors"] != 1 || counts["rules"] != 1 {
		t.Fatalf("register counts %v", counts)
	}
	first := waitEnforcements(t, s, "beat.on_beat", 1)
	e := s.Wait(t, first[0]["execution_id"].(string), wait)
	out, _ := apptest.ShellResultOf(t, e).Stdout.(string)
	pid, err := strconv.Atoi(strings.TrimPrefix(out, "beat "))
	if err != nil {
		t.Fatalf("echo %q", out)
	}
	var sensors []map[string]any
	s.Do(t, "GET", "/sensortypes", nil, &sensors)
	if len(sensors) != 1 || sensors[0]["ref"] != "beat.BeatSensor" {
		t.Fatalf("sensortypes %v", sensors)
	}
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatalf("killing the sensor (pid %d): %v", pid, err)
	}
	second := waitEnforcements(t, s, "beat.on_beat", 2)
	e2 := s.Wait(t, second[0]["execution_id"].(string), wait)
	if out2, _ := apptest.ShellResultOf(t, e2).Stdout.(string); out2 == out || !strings.HasPrefix(out2, "beat ") {
		t.Fatalf("after the restart: %q (before: %q)", out2, out)
	}
	// Disabling the sensor stops it.
	if code := s.Do(t, "PUT", "/sensortypes/beat.BeatSensor", map[string]any{"enabled": false}, nil); code != 200 {
		t.Fatalf("disable: %d", code)
	}
}

func waitEnforcements(t *testing.T, s *apptest.Server, rule string, n int) []map[string]any {
	t.Helper()
	deadline := time.Now().Add(wait)
	for {
		var enf []map[string]any
		s.Do(t, "GET", "/ruleenforcements?rule_ref="+rule, nil, &enf)
		if len(enf) >= n {
			return enf
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d enforcements of %s, want %d", len(enf), rule, n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestTriggerPayloadValidation: a payload that does not match a pack
// trigger type's payload_schema is refused by the generic webhook (400)
// and never becomes a trigger instance.
func TestTriggerPayloadValidation(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	writePack(t, s, "typed", map[string]string{
		"pack.yaml": "ref: typed\nname: typed\ndescription: typed triggers\nversion: 0.1.0\nauthor: me\n",
		"sensors/s.yaml": `class_name: S
entry_point: s.py
enabled: false
trigger_types:
  - name: event
    payload_schema: {type: object, properties: {n: {type: integer, required: true}}}
`,
		"sensors/s.py": "from st2reactor.sensor.base import Sensor\n\nclass S(Sensor):\n    pass\n",
	})
	bad := send(t, "POST", s.APIURL+"/api/v1/webhooks/st2", `{"trigger": "typed.event", "payload": {"n": "x"}}`, map[string]string{"Content-Type": "application/json"})
	if bad.status != 400 || !strings.Contains(bad.fault(), `"n"`) {
		t.Fatalf("invalid payload: %d %s", bad.status, bad.body)
	}
	good := send(t, "POST", s.APIURL+"/api/v1/webhooks/st2", `{"trigger": "typed.event", "payload": {"n": 1}}`, map[string]string{"Content-Type": "application/json"})
	if good.status != 202 {
		t.Fatalf("valid payload: %d %s", good.status, good.body)
	}
	list := waitTriggerInstances(t, s, 1)
	if len(list) != 1 || list[0]["trigger"] != "typed.event" {
		t.Fatalf("trigger instances %v", list)
	}
}
