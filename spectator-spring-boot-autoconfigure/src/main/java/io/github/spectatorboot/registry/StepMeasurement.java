package io.github.spectatorboot.registry;

import com.netflix.spectator.api.Id;

/**
 * One value of a completed step.
 *
 * @param id the meter's id, tags normalised; its own {@code statistic} tag, if any, is replaced
 *     by {@code statistic}
 * @param statistic the statistic this value reports, for example {@code count} or {@code max}
 * @param type the kind of meter the value came from
 * @param delta the value for the step: the amount accumulated over the step for counting
 *     statistics, the value itself for gauges and maxima
 * @param rate the value as the Atlas publish API wants it: the delta per second for counting
 *     statistics, the value itself for gauges and maxima
 * @param isRate whether the value is a rate ({@code atlas.dstype=rate}) rather than a gauge
 */
public record StepMeasurement(
    Id id, String statistic, MeterType type, double delta, double rate, boolean isRate) {}
