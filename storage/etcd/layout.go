package etcd

import (
	"fmt"
	"strings"

	"github.com/keyrack/keyrack/storage/kv"
)

// Keys under the prefix:
//
//	<prefix>/d/<bucket>/<key>   records (the change stream watches /d/)
//	<prefix>/s/<bucket>         the bucket's sequence, 8 bytes big-endian
//	<prefix>/m/<bucket>         the bucket's deletion mark: rewritten by every
//	                            commit that deletes in the bucket, so that a
//	                            scan's comparison also catches deletions
//	<prefix>/e/<name>/          election keys
//	<prefix>/q                  never written: read to pin a revision or
//	                            prove a quorum
//
// Nothing is read or written outside <prefix>/, so that an etcd user
// granted only that range can run keyrack.
func (b *Backend) dataPrefix() string { return b.opts.Prefix + "/d/" }

func (b *Backend) dataKey(bucket string, key []byte) string {
	return b.dataPrefix() + bucket + "/" + string(key)
}

func (b *Backend) probeKey() string { return b.opts.Prefix + "/q" }

func (b *Backend) seqKey(bucket string) string  { return b.opts.Prefix + "/s/" + bucket }
func (b *Backend) markKey(bucket string) string { return b.opts.Prefix + "/m/" + bucket }

// span is a range's [start, end) in etcd keys.
func (b *Backend) span(r kv.Range) (start, end string) {
	base := b.dataKey(r.Bucket, nil)
	start, end = base+string(r.From), string(kv.PrefixEnd([]byte(base)))
	if r.To != nil {
		end = base + string(r.To)
	}
	return start, end
}

// split turns an etcd data key back into bucket and key.
func (b *Backend) split(etcdKey []byte) (string, []byte, bool) {
	rest, ok := strings.CutPrefix(string(etcdKey), b.dataPrefix())
	if !ok {
		return "", nil, false
	}
	bucket, key, ok := strings.Cut(rest, "/")
	return bucket, []byte(key), ok
}

func checkBucket(bucket string) error {
	if bucket == "" || strings.ContainsRune(bucket, '/') {
		return fmt.Errorf("etcd: bad bucket name %q", bucket)
	}
	return nil
}
