package dev.strata.infra;

import java.util.List;
import java.util.Map;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import software.amazon.awscdk.assertions.Template;

/** Small reads of a synthesized template that {@code Match} patterns make awkward (user data, policy lists). */
final class TemplateJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TemplateJson() {}

    /** The properties of every resource of {@code type}. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> properties(Template template, String type) {
        return template.findResources(type).values().stream()
                .map(resource -> (Map<String, Object>) ((Map<String, Object>) resource)
                        .getOrDefault("Properties", Map.of()))
                .toList();
    }

    /** The one resource of {@code type} as properties; fails when there is not exactly one. */
    static Map<String, Object> only(Template template, String type) {
        List<Map<String, Object>> all = properties(template, type);
        if (all.size() != 1) {
            throw new AssertionError("expected one " + type + ", found " + all.size());
        }
        return all.getFirst();
    }

    static String text(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** All IAM policy statements of the policies attached to roles whose logical id starts with {@code rolePrefix}. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> statementsOfRole(Template template, String rolePrefix) {
        return template.findResources("AWS::IAM::Policy").values().stream()
                .map(r -> (Map<String, Object>) ((Map<String, Object>) r).get("Properties"))
                .filter(p -> text(p.get("Roles")).contains("\"Ref\":\"" + rolePrefix))
                .flatMap(p -> ((List<Map<String, Object>>) ((Map<String, Object>) p.get("PolicyDocument"))
                        .get("Statement")).stream())
                .toList();
    }

    /** The statements among {@code statements} that allow {@code action}. */
    static List<Map<String, Object>> allowing(List<Map<String, Object>> statements, String action) {
        return statements.stream().filter(s -> actions(s).contains(action)).toList();
    }

    @SuppressWarnings("unchecked")
    static List<String> actions(Map<String, Object> statement) {
        Object action = statement.get("Action");
        return action instanceof List<?> list ? (List<String>) list : List.of((String) action);
    }
}
