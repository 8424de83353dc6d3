package dev.datamesh.formats;

import dev.datamesh.formats.delta.DeltaTypeConverter;
import dev.datamesh.formats.iceberg.IcebergTypeConverter;
import io.delta.kernel.types.VariantType;
import io.trino.spi.type.TypeOperators;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

import static dev.datamesh.formats.TypeMappingException.Reason.AMBIGUOUS_NAMES;
import static dev.datamesh.formats.TypeMappingException.Reason.UNSUPPORTED_TYPE;
import static org.apache.iceberg.types.Types.NestedField.optional;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class TestTypeMappingFailures
{
    private static final TypeOperators TYPE_OPERATORS = new TypeOperators();

    @Test
    void testUnsupportedTypes()
    {
        assertThatThrownBy(() -> new DeltaTypeConverter(TYPE_OPERATORS).logicalType(VariantType.VARIANT, "payload"))
                .isInstanceOfSatisfying(TypeMappingException.class, e -> assertThat(e.reason()).isEqualTo(UNSUPPORTED_TYPE))
                .hasMessage("Column 'payload' has Delta type variant, which the mesh cannot read");
        assertThatThrownBy(() -> new IcebergTypeConverter(TYPE_OPERATORS).toTrinoType(Types.TimestampNanoType.withZone(), "at"))
                .isInstanceOfSatisfying(TypeMappingException.class, e -> assertThat(e.reason()).isEqualTo(UNSUPPORTED_TYPE))
                .hasMessage("column 'at' has the Iceberg type timestamptz_ns, which the mesh cannot read yet");
    }

    @Test
    void testNestedNamesThatDifferOnlyInCase()
    {
        Types.StructType struct = Types.StructType.of(optional(1, "X", Types.IntegerType.get()), optional(2, "x", Types.IntegerType.get()));
        assertThatThrownBy(() -> new IcebergTypeConverter(TYPE_OPERATORS).toTrinoType(struct, "st"))
                .isInstanceOfSatisfying(TypeMappingException.class, e -> assertThat(e.reason()).isEqualTo(AMBIGUOUS_NAMES))
                .hasMessage("column 'st' has nested fields 'X' and 'x', which differ only in case; SQL cannot tell them apart");
    }
}
