package org.livemetrics.transforms.observability;

import java.io.Serializable;

/**
 * One row's value for a per-region gauge: {@code row} identifies the row within its minute (a
 * later pane of the same row replaces its value), {@code region} is the gauge's label.
 */
public record RegionSample(long minute, String row, String region, long value)
    implements Serializable {}
