// rmw-bench: go-dqlite's database/sql driver running the framework workload of bench/framework.sh,
// the same transaction as the Java (Hibernate) side: BEGIN, SELECT the worker's counter, SELECT the
// shared total, UPDATE both, INSERT an event row, COMMIT; a transaction that fails with busy or
// locked (as go-dqlite's writers do under contention) is rolled back and run again, and counted.
// Prints one JSON line of results.
package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/canonical/go-dqlite/client"
	"github.com/canonical/go-dqlite/driver"
)

const total = 1000

type result struct {
	Impl      string  `json:"impl"`
	Workers   int     `json:"workers"`
	Committed int64   `json:"committed"`
	TxPerSec  float64 `json:"txPerSec"`
	P50Ms     float64 `json:"p50Ms"`
	P99Ms     float64 `json:"p99Ms"`
	Retried   int64   `json:"retried"`
	Errors    int64   `json:"errors"`
	FirstErr  string  `json:"firstError"`
}

func main() {
	cluster := flag.String("cluster", "", "comma-separated node addresses")
	database := flag.String("db", "rmw_go", "database name")
	workers := flag.Int("workers", 1, "concurrent workers")
	warmup := flag.Duration("warmup", 5*time.Second, "time run before measuring")
	duration := flag.Duration("duration", 20*time.Second, "measured time")
	flag.Parse()
	if err := run(strings.Split(*cluster, ","), *database, *workers, *warmup, *duration); err != nil {
		fmt.Fprintln(os.Stderr, "rmw-bench:", err)
		os.Exit(1)
	}
}

func run(nodes []string, database string, workers int, warmup, duration time.Duration) error {
	ctx := context.Background()
	store := client.NewInmemNodeStore()
	infos := make([]client.NodeInfo, len(nodes))
	for i, n := range nodes {
		infos[i] = client.NodeInfo{Address: n}
	}
	if err := store.Set(ctx, infos); err != nil {
		return err
	}
	drv, err := driver.New(store)
	if err != nil {
		return err
	}
	sql.Register("dqlite-rmw", drv)
	db, err := sql.Open("dqlite-rmw", database)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := prepare(db, workers); err != nil {
		return fmt.Errorf("prepare %s: %w", database, err)
	}

	var measuring atomic.Bool
	var retried, failed atomic.Int64
	var firstErr atomic.Value
	lat := make([][]time.Duration, workers)
	stop := time.Now().Add(warmup + duration)
	go func() { time.Sleep(warmup); measuring.Store(true) }()
	var wg sync.WaitGroup
	var seq atomic.Int64
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for time.Now().Before(stop) {
				start := time.Now()
				s := seq.Add(1)
				for attempt := 0; ; attempt++ {
					err := unit(db, w, s)
					if err == nil {
						break
					}
					if retryable(err) && attempt < 1000 && time.Now().Before(stop) {
						retried.Add(1)
						time.Sleep(time.Duration(1<<minInt(attempt, 5)) * time.Millisecond)
						continue
					}
					failed.Add(1)
					firstErr.CompareAndSwap(nil, err.Error())
					break
				}
				if measuring.Load() {
					lat[w] = append(lat[w], time.Since(start))
				}
			}
		}(w)
	}
	wg.Wait()

	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	r := result{Impl: "go", Workers: workers, Committed: int64(len(all)), Retried: retried.Load(), Errors: failed.Load()}
	r.TxPerSec = float64(len(all)) / duration.Seconds()
	if len(all) > 0 {
		r.P50Ms = ms(all[len(all)*50/100])
		r.P99Ms = ms(all[minInt(len(all)-1, len(all)*99/100)])
	}
	if v := firstErr.Load(); v != nil {
		r.FirstErr = v.(string)
	}
	return json.NewEncoder(os.Stdout).Encode(r)
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// minInt: the min builtin needs Go 1.21; Debian bookworm's golang-go is 1.19.
func minInt(a, b int) int {
	if a < b {
		return a
	}
	return b
}

func prepare(db *sql.DB, workers int) error {
	stmts := []string{
		"CREATE TABLE IF NOT EXISTS counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)",
		"CREATE TABLE IF NOT EXISTS event (id INTEGER PRIMARY KEY, worker INTEGER NOT NULL, seq INTEGER NOT NULL, at TEXT NOT NULL)",
		"DELETE FROM counter",
		"DELETE FROM event",
	}
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			return err
		}
	}
	for w := 0; w < workers; w++ {
		if _, err := db.Exec("INSERT INTO counter VALUES (?, 0)", w); err != nil {
			return err
		}
	}
	_, err := db.Exec("INSERT INTO counter VALUES (?, 0)", total)
	return err
}

// unit is one read-modify-write transaction.
func unit(db *sql.DB, w int, seq int64) error {
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	var mine, all int64
	if err = tx.QueryRow("SELECT n FROM counter WHERE id = ?", w).Scan(&mine); err == nil {
		err = tx.QueryRow("SELECT n FROM counter WHERE id = ?", total).Scan(&all)
	}
	if err == nil {
		_, err = tx.Exec("UPDATE counter SET n = ? WHERE id = ?", mine+1, w)
	}
	if err == nil {
		_, err = tx.Exec("UPDATE counter SET n = ? WHERE id = ?", all+1, total)
	}
	if err == nil {
		_, err = tx.Exec("INSERT INTO event (worker, seq, at) VALUES (?, ?, ?)", w, seq, time.Now().UTC().Format(time.RFC3339Nano))
	}
	if err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

func retryable(err error) bool {
	var e driver.Error
	if errors.As(err, &e) {
		return e.Code&0xff == driver.ErrBusy || e.Code&0xff == 6
	}
	return errors.Is(err, sql.ErrConnDone) || strings.Contains(err.Error(), "database is locked")
}
