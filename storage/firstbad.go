package storage

import (
	"runtime"
	"sync"
)

// firstBad runs check on items 0…n-1, a share of them on each core, and
// returns the first item it fails on, with its error, or n and nil. Each
// core's share stops at its first failure.
func firstBad(n int, check func(i int) error) (int, error) {
	workers := min(runtime.GOMAXPROCS(0), max(n/1000, 1))
	share := (n + workers - 1) / workers
	bad := make([]int, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		bad[w] = n
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w * share; i < min((w+1)*share, n); i++ {
				if err := check(i); err != nil {
					bad[w], errs[w] = i, err
					return
				}
			}
		}()
	}
	wg.Wait()
	for w := range workers {
		if errs[w] != nil {
			return bad[w], errs[w]
		}
	}
	return n, nil
}
