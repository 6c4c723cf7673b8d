// Package api is serve's HTTP side: forward authentication, verification and last-used tracking.
package api
