package dev.datamesh.trino.parquet;

import com.google.common.collect.ImmutableList;
import dev.datamesh.trino.ColumnIdentity;
import dev.datamesh.trino.MeshColumnHandle;
import io.trino.spi.type.ArrayType;
import io.trino.spi.type.MapType;
import io.trino.spi.type.RowType;
import io.trino.spi.type.TypeOperators;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

import java.util.List;
import java.util.Optional;

import static io.trino.parquet.ParquetTypeUtils.getParquetTypeByName;

/**
 * Finds a column in a Parquet file the way Iceberg does: by the field ids the writer recorded, so
 * a column renamed since the file was written is still found, and a column dropped and added again
 * under the same name is not mistaken for the old one. Files written without ids (tables migrated
 * from Hive) are read by name.
 */
final class ParquetFieldIds
{
    private ParquetFieldIds() {}

    /**
     * The file's field for the column, or empty when the file does not have it.
     */
    static Optional<Type> fileField(MeshColumnHandle column, MessageType fileSchema)
    {
        if (column.identity().isEmpty() || !hasFieldIds(fileSchema)) {
            return Optional.ofNullable(getParquetTypeByName(column.fileName(), fileSchema));
        }
        return childById(fileSchema, column.identity().orElseThrow().fieldId());
    }

    /**
     * The type to read the file's field as: the column's type, with the names of nested fields
     * replaced by the names the file gives the same ids. Nested fields the file does not have get
     * a name no file field has, so they read as null. Only for files with field ids: the others
     * are read by name.
     */
    static io.trino.spi.type.Type readType(io.trino.spi.type.Type type, ColumnIdentity identity, Type fileField, TypeOperators typeOperators)
    {
        if (type instanceof RowType rowType && !fileField.isPrimitive()) {
            GroupType group = fileField.asGroupType();
            ImmutableList.Builder<RowType.Field> fields = ImmutableList.builder();
            List<RowType.Field> tableFields = rowType.getFields();
            for (int i = 0; i < tableFields.size(); i++) {
                ColumnIdentity child = identity.children().get(i);
                Optional<Type> fileChild = childById(group, child.fieldId());
                io.trino.spi.type.Type childType = tableFields.get(i).getType();
                fields.add(fileChild
                        .map(field -> RowType.field(field.getName(), readType(childType, child, field, typeOperators)))
                        .orElseGet(() -> RowType.field("$missing$" + child.fieldId(), childType)));
            }
            return RowType.from(fields.build());
        }
        if (type instanceof ArrayType arrayType && !fileField.isPrimitive() && identity.children().size() == 1) {
            return new ArrayType(readType(arrayType.getElementType(), identity.children().getFirst(), listElement(fileField.asGroupType()), typeOperators));
        }
        if (type instanceof MapType mapType && !fileField.isPrimitive() && identity.children().size() == 2) {
            GroupType keyValue = fileField.asGroupType().getType(0).asGroupType();
            if (keyValue.getFieldCount() == 2) {
                io.trino.spi.type.Type keyType = readType(mapType.getKeyType(), identity.children().get(0), keyValue.getType(0), typeOperators);
                io.trino.spi.type.Type valueType = readType(mapType.getValueType(), identity.children().get(1), keyValue.getType(1), typeOperators);
                if (!keyType.equals(mapType.getKeyType()) || !valueType.equals(mapType.getValueType())) {
                    return new MapType(keyType, valueType, typeOperators);
                }
            }
        }
        return type;
    }

    private static Type listElement(GroupType list)
    {
        Type repeated = list.getType(0);
        // the three-level form (list > element) or the legacy two-level form (the repeated field is the element)
        if (!repeated.isPrimitive() && repeated.asGroupType().getFieldCount() == 1 && !repeated.getName().equals("array") && !repeated.getName().endsWith("_tuple")) {
            return repeated.asGroupType().getType(0);
        }
        return repeated;
    }

    private static Optional<Type> childById(GroupType group, int fieldId)
    {
        for (Type field : group.getFields()) {
            if (field.getId() != null && field.getId().intValue() == fieldId) {
                return Optional.of(field);
            }
        }
        return Optional.empty();
    }

    static boolean hasFieldIds(MessageType fileSchema)
    {
        return fileSchema.getFields().stream().anyMatch(field -> field.getId() != null);
    }
}
