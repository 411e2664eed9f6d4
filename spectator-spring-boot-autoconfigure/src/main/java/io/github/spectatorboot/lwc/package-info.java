/**
 * Atlas LWC streaming: the subscribed expressions of this cluster, fetched from
 * {@code atlas-lwcapi}, evaluated every LWC step (5 s) against the registry's meters and posted
 * back, as Netflix's {@code AtlasRegistry} does with {@code atlas.lwc.enabled}.
 *
 * <p><b>Two resolutions from the same meters.</b> The registry's publish step is untouched: each
 * LWC step calls {@link io.github.spectatorboot.registry.StepRegistry#pollSubStep}, which reads
 * the sums accumulated so far in the publish step without resetting them and reports the
 * difference from the previous read; the publish roll-over subtracts what it took from that read,
 * so the next difference still covers exactly the time since the previous LWC step. Maxima are
 * swapped out of the meter at each LWC step and folded back in at the roll-over (the maximum of
 * maxima is exact), gauges are sampled. The published values are the same to the bit with or
 * without streaming, and the recording path reads no clock, allocates nothing and does no more
 * work. Without subscriptions a step only takes the readings
 * ({@link io.github.spectatorboot.registry.StepRegistry#readSubStep}), as {@code AtlasRegistry}
 * polls every meter every LWC step whatever the subscriptions, so that a subscription that
 * arrives gets its first step in full.
 *
 * <p><b>The query language is not written again here.</b> This package uses the parser, query
 * index and evaluator of {@code com.netflix.spectator:spectator-reg-atlas}
 * ({@code com.netflix.spectator.atlas.impl}: {@code Parser}, {@code Query.simplify} with the
 * common tags, {@code QueryIndex}, {@code Evaluator} with its per-subscription consolidation,
 * {@code Subscription}, {@code EvalPayload}), the code {@code AtlasRegistry} itself runs, so the
 * results match it by construction, including {@code :by} keys filled from common tags and
 * subscriptions whose step is a multiple of the LWC step. What it costs: a 2.6 MB jar whose only
 * dependencies are {@code spectator-api}, {@code spectator-ext-ipc} (both already here) and
 * slf4j; the Jackson 2 it uses is shaded inside it, so no second Jackson reaches the application
 * (this package writes and reads JSON with the starter's Jackson 3). The {@code impl} package is
 * marked internal by Netflix: the versions are pinned together with {@code spectator-api}, and the
 * differential test against {@code AtlasRegistry} catches a change of behaviour. The dependency is
 * optional: an application that turns streaming on adds it, and the others carry nothing (start-up
 * fails with the fix named when it is missing). A query language of our own (some 15 query words,
 * 8 data words, escaping, regex semantics, simplification) would be several hundred lines to keep
 * equal to Atlas's by hand.
 *
 * <p>This package depends on {@code registry}, spectator-reg-atlas, WebClient and Jackson, and on
 * {@code publish} for its sender and log limiter only
 * ({@link io.github.spectatorboot.publish.AtlasSender},
 * {@link io.github.spectatorboot.publish.WarnLimiter}): results are posted and retried by the
 * publisher's rules, with no second retry loop.
 */
package io.github.spectatorboot.lwc;
