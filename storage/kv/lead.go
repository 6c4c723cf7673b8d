package kv

import (
	"context"
	"errors"
	"time"
)

// Lead runs fn each time this process wins the election name, until ctx
// ends: it campaigns, runs fn with a context that ends when the leadership
// is lost, resigns when fn returns, and campaigns again. fn fences its
// writes with the Fence it is given, so that a leader that lost its seat
// without noticing changes nothing. An error from fn ends Lead; failed
// campaigns are retried every retry.
func Lead(ctx context.Context, b Backend, name string, retry time.Duration, fn func(ctx context.Context, f Fence) error) error {
	for {
		l, err := b.Campaign(ctx, name)
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case errors.Is(err, ErrClosed):
			return err
		case err != nil:
			if err := wait(ctx, retry); err != nil {
				return err
			}
			continue
		}
		err = lead(ctx, l, fn)
		l.Resign(context.WithoutCancel(ctx))
		if err != nil {
			return err
		}
	}
}

// lead runs fn under one leadership.
func lead(ctx context.Context, l Leader, fn func(context.Context, Fence) error) error {
	lctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-l.Done():
			cancel()
		case <-lctx.Done():
		}
	}()
	err := fn(lctx, l.Fence())
	if lctx.Err() != nil && ctx.Err() == nil {
		return nil // the leadership ended under fn: campaign again
	}
	return err
}

func wait(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
