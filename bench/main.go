// Command bench runs st2go's benchmarks B1 (single action overhead) and B2
// (noop throughput) from shared/bench/BENCHMARKS.md against an in-process
// st2d on its embedded defaults, and prints each figure as a ratio to a
// baseline measured in the same run on the same machine.
//
// Issue targets and the stricter targets of shared/bench/BENCHMARKS.md
// (suffix _benchmarks_md) each get a PASS/FAIL line.
//
//	go run ./bench                 # B1 with 1000 runs, B2 with a 5000 burst, B3 with 2000 instances
//	go run ./bench -n1 200 -n2 2000 -json out.json
package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/st2go/st2go/internal/app"
	"github.com/st2go/st2go/internal/bus"
	"github.com/st2go/st2go/internal/bus/memory"
	"github.com/st2go/st2go/internal/config"
	"github.com/st2go/st2go/internal/model"
	"github.com/st2go/st2go/internal/rules"
	"github.com/st2go/st2go/internal/store"
	"github.com/st2go/st2go/internal/trigger"

	_ "modernc.org/sqlite" // the driver the embedded store uses
)

func main() {
	n1 := flag.Int("n1", 1000, "B1: sequential core.local cmd=true runs")
	n2 := flag.Int("n2", 5000, "B2: core.noop executions in the burst")
	n3 := flag.Int("n3", 2000, "B3: trigger instances per rule count")
	clients := flag.Int("clients", 16, "B2: concurrent API clients")
	jsonOut := flag.String("json", "", "also write the report as JSON to this file")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the whole run to this file")
	flag.Parse()
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	if err := run(*n1, *n2, *n3, *clients, *jsonOut); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
}

type report struct {
	Machine   map[string]any     `json:"machine"`
	Baselines map[string]float64 `json:"baselines_ms"`
	Results   map[string]any     `json:"results"`
	Pass      map[string]bool    `json:"pass"`
}

func run(n1, n2, n3, clients int, jsonOut string) error {
	home, err := os.MkdirTemp("", "st2go-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(home)
	rep := report{Machine: machine(), Baselines: map[string]float64{}, Results: map[string]any{}, Pass: map[string]bool{}}

	fmt.Println("== baselines")
	tsh := median(sample(200, func() { exec.Command("/bin/sh", "-c", "true").Run() }))
	tdb, rdb := dbBaseline(filepath.Join(home, "baseline.db"))
	tmq, rmq := busBaseline()
	f := tsh + 3*tdb + 2*tmq
	rep.Baselines["T_sh"], rep.Baselines["T_db"], rep.Baselines["T_mq"], rep.Baselines["F"] = ms(tsh), ms(tdb), ms(tmq), ms(f)
	rep.Baselines["R_db_per_s"], rep.Baselines["R_mq_per_s"] = rdb, rmq
	fmt.Printf("T_sh %.3f ms  T_db %.3f ms  T_mq %.3f ms  F = T_sh+3T_db+2T_mq = %.3f ms\n", ms(tsh), ms(tdb), ms(tmq), ms(f))
	fmt.Printf("R_db %.0f/s  R_mq %.0f/s\n", rdb, rmq)

	srv, stop, err := start(home)
	benchApp = srv
	if err != nil {
		return err
	}
	defer stop()

	fmt.Printf("\n== B1: single action overhead (%d sequential core.local cmd=true)\n", n1)
	lat, err := b1(srv, n1)
	if err != nil {
		return err
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	p50, p95, p99, mx := pct(lat, 50), pct(lat, 95), pct(lat, 99), lat[len(lat)-1]
	fmt.Printf("p50 %.2f ms  p95 %.2f ms  p99 %.2f ms  max %.2f ms\n", ms(p50), ms(p95), ms(p99), ms(mx))
	r50, r99 := float64(p50)/float64(f), float64(p99)/float64(f)
	fmt.Printf("ratio p50/F = %.2f (issue target ≤ 5, BENCHMARKS.md target ≤ 2)   p99/F = %.2f (target ≤ 5)\n", r50, r99)
	rep.Results["B1"] = map[string]any{"n": n1, "p50_ms": ms(p50), "p95_ms": ms(p95), "p99_ms": ms(p99), "max_ms": ms(mx), "p50_over_F": r50, "p99_over_F": r99}
	rep.Pass["B1_p50_le_5F"] = r50 <= 5
	rep.Pass["B1_p50_le_2F_benchmarks_md"] = r50 <= 2
	rep.Pass["B1_p99_le_5F_benchmarks_md"] = r99 <= 5

	fmt.Printf("\n== B2: core.noop burst of %d through the API (%d clients)\n", n2, clients)
	rate, err := b2(srv, n2, clients)
	if err != nil {
		return err
	}
	base := min(rmq/2, rdb/3)
	fmt.Printf("%.0f executions/s  (issue target ≥ 1000/s)  ratio to min(R_mq/2, R_db/3) = %.0f/s: %.2f (BENCHMARKS.md target ≥ 0.5)\n", rate, base, rate/base)
	rep.Results["B2"] = map[string]any{"n": n2, "clients": clients, "per_s": rate, "baseline_per_s": base, "ratio": rate / base}
	rep.Pass["B2_ge_1000_per_s"] = rate >= 1000
	rep.Pass["B2_ge_half_baseline_benchmarks_md"] = rate/base >= 0.5

	if n3 > 0 {
		if err := runB3(srv, n3, rmq, &rep); err != nil {
			return err
		}
	}

	fmt.Println("\n== pass/fail")
	keys := make([]string, 0, len(rep.Pass))
	for k := range rep.Pass {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Printf("%-36s %v\n", k, map[bool]string{true: "PASS", false: "FAIL"}[rep.Pass[k]])
	}
	if jsonOut != "" {
		b, _ := json.MarshalIndent(rep, "", "  ")
		return os.WriteFile(jsonOut, b, 0o644)
	}
	return nil
}

func machine() map[string]any {
	cpu := ""
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(l, "model name") {
				cpu = strings.TrimSpace(strings.SplitN(l, ":", 2)[1])
				break
			}
		}
	}
	kernel, _ := os.ReadFile("/proc/sys/kernel/osrelease")
	return map[string]any{"cpu": cpu, "cores": runtime.NumCPU(), "kernel": strings.TrimSpace(string(kernel)),
		"go": runtime.Version(), "store": "embedded SQLite (WAL, synchronous=NORMAL)", "bus": "in-process"}
}

type server struct {
	app    *app.App
	api    string
	stream string
	client *http.Client
}

func start(home string) (*server, func(), error) {
	cfg, _, err := config.Load("", []string{"ST2GO_HOME=" + home, "HOME=" + home})
	if err != nil {
		return nil, nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	a, err := app.New(ctx, app.Options{Config: cfg, Logger: slog.New(slog.DiscardHandler),
		Listen: map[string]string{"api": "127.0.0.1:0", "auth": "127.0.0.1:0", "stream": "127.0.0.1:0"}})
	if err != nil {
		cancel()
		return nil, nil, err
	}
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	<-a.Ready()
	tr := &http.Transport{MaxIdleConnsPerHost: 64}
	s := &server{app: a, api: a.APIURL() + "/api/v1", stream: "http://" + a.Addr("stream") + "/v1/stream", client: &http.Client{Transport: tr}}
	return s, func() { cancel(); <-done }, nil
}

// watcher follows the stream and reports when executions complete.
type watcher struct {
	mu      sync.Mutex
	waiters map[string]chan struct{}
	done    map[string]bool
	count   atomic.Int64
	resp    *http.Response
}

func watch(s *server) (*watcher, error) {
	resp, err := s.client.Get(s.stream + "?events=st2.execution__update")
	if err != nil {
		return nil, err
	}
	w := &watcher{waiters: map[string]chan struct{}{}, done: map[string]bool{}, resp: resp}
	go func() {
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 1<<20), 1<<24)
		for sc.Scan() {
			line := sc.Bytes()
			if !bytes.HasPrefix(line, []byte("data: ")) {
				continue
			}
			var e struct {
				ID     string       `json:"id"`
				Status model.Status `json:"status"`
			}
			if json.Unmarshal(line[6:], &e) != nil || !e.Status.Completed() {
				continue
			}
			w.count.Add(1)
			w.mu.Lock()
			w.done[e.ID] = true
			if ch := w.waiters[e.ID]; ch != nil {
				close(ch)
				delete(w.waiters, e.ID)
			}
			w.mu.Unlock()
		}
	}()
	return w, nil
}

func (w *watcher) waitFor(id string) <-chan struct{} {
	w.mu.Lock()
	defer w.mu.Unlock()
	ch := make(chan struct{})
	if w.done[id] {
		close(ch)
		return ch
	}
	w.waiters[id] = ch
	return ch
}

func (s *server) post(action string, params map[string]any) (string, error) {
	b, _ := json.Marshal(map[string]any{"action": action, "parameters": params})
	resp, err := s.client.Post(s.api+"/executions", "application/json", bytes.NewReader(b))
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusCreated {
		return "", fmt.Errorf("POST /executions: %d %s", resp.StatusCode, body)
	}
	var e struct {
		ID string `json:"id"`
	}
	return e.ID, json.Unmarshal(body, &e)
}

func b1(s *server, n int) ([]time.Duration, error) {
	w, err := watch(s)
	if err != nil {
		return nil, err
	}
	defer w.resp.Body.Close()
	lat := make([]time.Duration, 0, n)
	for i := 0; i < n+20; i++ { // 20 warm-up runs
		t0 := time.Now()
		id, err := s.post("core.local", map[string]any{"cmd": "true"})
		if err != nil {
			return nil, err
		}
		select {
		case <-w.waitFor(id):
		case <-time.After(30 * time.Second):
			return nil, fmt.Errorf("execution %s did not finish", id)
		}
		if i >= 20 {
			lat = append(lat, time.Since(t0))
		}
	}
	return lat, nil
}

func b2(s *server, n, clients int) (float64, error) {
	w, err := watch(s)
	if err != nil {
		return 0, err
	}
	defer w.resp.Body.Close()
	t0 := time.Now()
	var wg sync.WaitGroup
	var next atomic.Int64
	errs := make(chan error, clients)
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for next.Add(1) <= int64(n) {
				if _, err := s.post("core.noop", nil); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return 0, err
	}
	deadline := time.Now().Add(5 * time.Minute)
	for w.count.Load() < int64(n) {
		if time.Now().After(deadline) {
			return 0, fmt.Errorf("only %d of %d executions finished", w.count.Load(), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
	return float64(n) / time.Since(t0).Seconds(), nil
}

// dbBaseline measures T_db (one insert + one update of a ~1 KB document
// with raw SQL on a SQLite database opened with the product's settings:
// WAL, synchronous=NORMAL) and R_db (sustained single-row inserts/s from
// one client). It bypasses st2go's store on purpose: the baseline is what
// the database itself costs.
func dbBaseline(path string) (time.Duration, float64) {
	ctx := context.Background()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=busy_timeout(10000)")
	if err != nil {
		panic(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, `CREATE TABLE docs (id TEXT PRIMARY KEY, status TEXT, doc BLOB)`); err != nil {
		panic(err)
	}
	ins, _ := db.PrepareContext(ctx, `INSERT INTO docs(id, status, doc) VALUES (?, ?, ?)`)
	upd, _ := db.PrepareContext(ctx, `UPDATE docs SET status = ?, doc = ? WHERE id = ?`)
	doc := bytes.Repeat([]byte("x"), 1024)
	lat := sample(500, func() {
		id := model.NewID()
		ins.ExecContext(ctx, id, "requested", doc)
		upd.ExecContext(ctx, "scheduled", doc, id)
	})
	const n = 3000
	t0 := time.Now()
	for range n {
		ins.ExecContext(ctx, model.NewID(), "requested", doc)
	}
	return median(lat), n / time.Since(t0).Seconds()
}

// busBaseline measures T_mq (publish → consume → ack round trip of 1 KB)
// and R_mq (sustained messages/s) on the in-process bus.
func busBaseline() (time.Duration, float64) {
	ctx := context.Background()
	b := memory.New()
	defer b.Close()
	c, _ := b.Consume(ctx, bus.Bind("bench", "bench.ex", "k"))
	msg := bytes.Repeat([]byte("x"), 1024)
	lat := sample(2000, func() {
		b.Publish(ctx, "bench.ex", "k", msg)
		d, _ := c.Receive(ctx)
		d.Ack()
	})
	const n = 200000
	t0 := time.Now()
	go func() {
		for range n {
			b.Publish(ctx, "bench.ex", "k", msg)
		}
	}()
	for range n {
		d, _ := c.Receive(ctx)
		d.Ack()
	}
	return median(lat), n / time.Since(t0).Seconds()
}

func sample(n int, f func()) []time.Duration {
	out := make([]time.Duration, n)
	for i := range out {
		t0 := time.Now()
		f()
		out[i] = time.Since(t0)
	}
	return out
}

func median(d []time.Duration) time.Duration {
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return pct(s, 50)
}

func pct(sorted []time.Duration, p int) time.Duration {
	i := (len(sorted)*p + 99) / 100
	if i > 0 {
		i--
	}
	return sorted[i]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// b3 registers nrules rules on one webhook trigger (rule i matches
// body.n == i, with a regex and a search criterion as well), dispatches n
// trigger instances straight onto the bus with body.n drawn so that one in
// ten matches a rule, and measures instances processed per second. It also
// times the same criteria evaluated in-process with no I/O.
func b3(s *server, nrules, n int) (float64, float64, error) {
	hook := fmt.Sprintf("b3-%d", nrules)
	var ruleDocs []*rules.Rule
	for i := range nrules {
		// Criteria are evaluated in the order written, so the selective one comes first.
		b := []byte(fmt.Sprintf(`{"name": "%s-%d", "pack": "default", "enabled": true,
			"trigger": {"type": "core.st2.webhook", "parameters": {"url": %q}},
			"criteria": {"trigger.body.n": {"type": "equals", "pattern": %d},
			             "trigger.body.s": {"type": "regex", "pattern": "^ab"},
			             "trigger.body.items": {"type": "search", "condition": "any", "pattern": {"item.k": {"type": "equals", "pattern": "x"}}}},
			"action": {"ref": "core.noop"}}`, hook, i, hook, i))
		resp, err := s.client.Post(s.api+"/rules", "application/json", bytes.NewReader(b))
		if err != nil {
			return 0, 0, err
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusCreated {
			return 0, 0, fmt.Errorf("creating a rule: %d %s", resp.StatusCode, body)
		}
		r, err := rules.ParseRuleJSON(body, rules.Options{})
		if err != nil {
			return 0, 0, err
		}
		ruleDocs = append(ruleDocs, r)
	}
	items := make([]any, 20)
	for i := range items {
		items[i] = map[string]any{"k": fmt.Sprint("y", i)}
	}
	items[19] = map[string]any{"k": "x"}
	payloads := make([]map[string]any, n)
	for i := range payloads {
		payloads[i] = map[string]any{"body": map[string]any{"n": (i * 7919) % (10 * nrules), "s": "abc", "items": items}}
	}

	// Baseline: the same criteria, evaluated in-process.
	idx, err := rules.NewIndex(ruleDocs...)
	if err != nil {
		return 0, 0, err
	}
	ev := &rules.Evaluator{}
	params := map[string]any{"url": hook}
	t0 := time.Now()
	for _, p := range payloads {
		if _, err := idx.Match("core.st2.webhook", params, p, ev); err != nil {
			return 0, 0, err
		}
	}
	evalRate := float64(n) / time.Since(t0).Seconds()

	ctx := context.Background()
	before, err := countInstances(ctx)
	if err != nil {
		return 0, 0, err
	}
	t0 = time.Now()
	for _, p := range payloads {
		msg, _ := json.Marshal(trigger.Dispatch{Trigger: map[string]any{"type": "core.st2.webhook", "parameters": params}, Payload: p})
		if err := benchApp.app.Bus().Publish(ctx, bus.ExchangeTriggerDispatch, "trigger_instance", msg); err != nil {
			return 0, 0, err
		}
	}
	deadline := time.Now().Add(5 * time.Minute)
	for {
		got, err := countInstances(ctx)
		if err != nil {
			return 0, 0, err
		}
		if got-before >= n {
			break
		}
		if time.Now().After(deadline) {
			return 0, 0, fmt.Errorf("only %d of %d trigger instances processed", got-before, n)
		}
		// Counting scans the table: poll gently so the measurement does
		// not slow down what it measures.
		time.Sleep(20 * time.Millisecond)
	}
	return float64(n) / time.Since(t0).Seconds(), evalRate, nil
}

var benchApp *server

func countInstances(ctx context.Context) (int, error) {
	_, total, err := benchApp.app.Store().TriggerInstances().List(ctx, store.TriggerInstanceFilter{Limit: 1})
	return total, err
}

// runB3 runs B3 for 10, 100 and 1000 rules and records the results.
func runB3(srv *server, n3 int, rmq float64, rep *report) error {
	fmt.Printf("\n== B3: rules engine throughput (%d trigger instances per rule count, 10%% matching one rule)\n", n3)
	b3res := map[string]any{}
	var rate10, rate1000 float64
	for _, nrules := range []int{10, 100, 1000} {
		rate, evalRate, err := b3(srv, nrules, n3)
		if err != nil {
			return err
		}
		base := min(rmq, evalRate)
		fmt.Printf("%4d rules: %6.0f instances/s   in-process criteria evaluation %8.0f/s   ratio to min(R_mq, R_eval) = %.2f (target ≥ 0.5)\n",
			nrules, rate, evalRate, rate/base)
		b3res[fmt.Sprint(nrules)] = map[string]any{"per_s": rate, "eval_per_s": evalRate, "ratio": rate / base}
		switch nrules {
		case 10:
			rate10 = rate
		case 1000:
			rate1000 = rate
			rep.Pass["B3_1000_ge_half_eval"] = rate/base >= 0.5
		}
	}
	fmt.Printf("throughput at 1000 rules / at 10 rules = %.2f (target ≥ 0.1)\n", rate1000/rate10)
	b3res["scaling_1000_over_10"] = rate1000 / rate10
	rep.Results["B3"] = b3res
	rep.Pass["B3_scaling_ge_0.1"] = rate1000/rate10 >= 0.1

	return nil
}
