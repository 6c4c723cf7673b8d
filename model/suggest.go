package model

import "fmt"

// didYouMean returns `; did you mean "x"?` for the candidate closest to
// typed, or "" when none is close: at most 2 edits apart, or a third of a
// long word's letters; a word under 3 letters is too short to guess from.
func didYouMean(typed string, candidates []string) string {
	if len(typed) < 3 {
		return ""
	}
	best, bestDist := "", max(2, len(typed)/3)+1
	for _, c := range candidates {
		if d := editDistance(typed, c); d < bestDist {
			best, bestDist = c, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf("; did you mean %q?", best)
}

// editDistance is the Levenshtein distance between a and b, in bytes (the
// candidates are ASCII names).
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
