package dev.strata.segment;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The metadata of a segment re-encoded per field for filtering ({@code columns.bin}), so a filter is evaluated
 * once per distinct value of a field and then by an integer scan over the rows, never by decoding a row's JSON.
 * Layout, little-endian:
 * <pre>
 *   int32  magic 0x53434F4C ("SCOL")
 *   int32  layout version (1)
 *   int32  rows
 *   int32  fields F
 *   per field (sorted by name):
 *     int32  name length, then the name in UTF-8
 *     int32  distinct values D
 *     per distinct value: int32 length, then the value as JSON in UTF-8 (a scalar, or an array of scalars)
 *     zero padding to a multiple of 4 bytes (from the start of the file)
 *     int32  value[rows]   index into the distinct values, or -1 when the row does not have the field
 * </pre>
 * Reading keeps the per-row arrays memory-mapped; a field's distinct values are decoded the first time a filter
 * uses the field and kept (numbers as {@link Double}, arrays as {@link List}). Thread-safe.
 */
public final class FilterColumns {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int rows;
    private final Map<String, Field> fields;

    private FilterColumns(int rows, Map<String, Field> fields) {
        this.rows = rows;
        this.fields = fields;
    }

    private static final class Field {
        final ByteBuffer buffer;
        final int[] valueOffsets; // position of each distinct value's length prefix
        final IntBuffer rowValues;
        volatile Object[] decoded;

        Field(ByteBuffer buffer, int[] valueOffsets, IntBuffer rowValues) {
            this.buffer = buffer;
            this.valueOffsets = valueOffsets;
            this.rowValues = rowValues;
        }

        Object[] values() {
            Object[] d = decoded;
            if (d == null) {
                d = new Object[valueOffsets.length];
                for (int i = 0; i < d.length; i++) {
                    int len = buffer.getInt(valueOffsets[i]);
                    byte[] b = new byte[len];
                    buffer.get(valueOffsets[i] + 4, b);
                    try {
                        d[i] = normalise(JSON.readValue(b, Object.class));
                    } catch (IOException e) {
                        throw new SegmentCorruptException(SegmentFiles.COLUMNS, SegmentFiles.COLUMNS
                                + " holds a value that is not JSON: " + e.getMessage(), e);
                    }
                }
                decoded = d;
            }
            return d;
        }
    }

    private static Object normalise(Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object o : list) {
                out.add(normalise(o));
            }
            return java.util.Collections.unmodifiableList(out);
        }
        return v;
    }

    static void write(Path file, List<Map<String, Object>> metadata) throws IOException {
        TreeSet<String> names = new TreeSet<>();
        for (Map<String, Object> m : metadata) {
            if (m != null) {
                names.addAll(m.keySet());
            }
        }
        int rows = metadata.size();
        try (LittleEndianOutput out = new LittleEndianOutput(file)) {
            out.writeInt(SegmentFiles.COLUMNS_MAGIC);
            out.writeInt(SegmentFiles.LAYOUT_VERSION);
            out.writeInt(rows);
            out.writeInt(names.size());
            for (String name : names) {
                Map<String, Integer> dictionary = new LinkedHashMap<>();
                int[] values = new int[rows];
                for (int r = 0; r < rows; r++) {
                    Map<String, Object> m = metadata.get(r);
                    Object v = m == null ? null : m.get(name);
                    if (v == null) {
                        values[r] = -1;
                    } else {
                        String json = JSON.writeValueAsString(v);
                        values[r] = dictionary.computeIfAbsent(json, j -> dictionary.size());
                    }
                }
                byte[] n = name.getBytes(StandardCharsets.UTF_8);
                out.writeInt(n.length);
                out.write(n);
                out.writeInt(dictionary.size());
                for (String json : dictionary.keySet()) {
                    byte[] b = json.getBytes(StandardCharsets.UTF_8);
                    out.writeInt(b.length);
                    out.write(b);
                }
                out.align(4);
                for (int v : values) {
                    out.writeInt(v);
                }
            }
        }
    }

    static FilterColumns open(ByteBuffer mapped, int expectedRows) {
        String f = SegmentFiles.COLUMNS;
        try {
            ByteBuffer b = SegmentFiles.header(mapped, f, SegmentFiles.COLUMNS_MAGIC, "a column file");
            int rows = b.getInt();
            if (rows != expectedRows) {
                throw new SegmentCorruptException(f, f + " holds " + rows + " rows; the manifest says "
                        + expectedRows);
            }
            int count = b.getInt();
            Map<String, Field> fields = new HashMap<>();
            for (int i = 0; i < count; i++) {
                byte[] name = new byte[b.getInt()];
                b.get(name);
                int distinct = b.getInt();
                int[] offsets = new int[distinct];
                for (int d = 0; d < distinct; d++) {
                    offsets[d] = b.position();
                    int len = b.getInt();
                    b.position(b.position() + len);
                }
                b.position((b.position() + 3) & ~3);
                IntBuffer values = b.slice(b.position(), 4 * rows).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer();
                b.position(b.position() + 4 * rows);
                fields.put(new String(name, StandardCharsets.UTF_8), new Field(mapped, offsets, values));
            }
            if (b.hasRemaining()) {
                throw new SegmentCorruptException(f, f + " has " + b.remaining() + " trailing bytes");
            }
            return new FilterColumns(rows, Map.copyOf(fields));
        } catch (RuntimeException e) {
            if (e instanceof SegmentCorruptException) {
                throw e;
            }
            throw new SegmentCorruptException(f, f + " is truncated or malformed: " + e, e);
        }
    }

    /** Names of the metadata fields present in at least one row. */
    public java.util.Set<String> fieldNames() {
        return fields.keySet();
    }

    /**
     * Rows whose value of {@code field} passes {@code valueTest}. The test sees the field's value as decoded
     * from JSON (String, Double, Boolean, or a List of those for arrays), or {@code null} for rows that lack the
     * field; it is called once per distinct value, not per row.
     */
    public RowSet matching(String field, Predicate<Object> valueTest) {
        boolean missingMatches = valueTest.test(null);
        Field col = fields.get(field);
        if (col == null) {
            return missingMatches ? RowSet.all(rows) : RowSet.none(rows);
        }
        Object[] values = col.values();
        boolean[] ok = new boolean[values.length];
        boolean any = missingMatches;
        for (int i = 0; i < values.length; i++) {
            ok[i] = valueTest.test(values[i]);
            any |= ok[i];
        }
        if (!any) {
            return RowSet.none(rows);
        }
        long[] words = new long[RowSet.words(rows)];
        IntBuffer rv = col.rowValues;
        for (int r = 0; r < rows; r++) {
            int v = rv.get(r);
            if (v < 0 ? missingMatches : ok[v]) {
                words[r >>> 6] |= 1L << r;
            }
        }
        return RowSet.ofWords(words, rows);
    }
}
