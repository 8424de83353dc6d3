package dev.datamesh.trino;

import com.google.common.collect.ImmutableList;

import java.util.List;

/**
 * The field ids of an Iceberg column and of its nested fields (struct fields in order; a list's
 * element; a map's key and value), by which data files are read whatever the fields were called
 * when the files were written.
 */
public record ColumnIdentity(int fieldId, List<ColumnIdentity> children)
{
    public ColumnIdentity
    {
        children = ImmutableList.copyOf(children);
    }
}
