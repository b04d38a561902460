package org.livemetrics.cli;

import java.beans.Introspector;
import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Hidden;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.Validation;

/**
 * The Beam options a command passes through to {@link PipelineOptionsFactory}, read from the
 * options interfaces themselves (their getters, {@code @Description}, {@code @Default},
 * {@code @Validation.Required}): the command's own interface and every registered one (runners,
 * file systems, AWS). The front end declares each as an option, so both spellings, "did you
 * mean" and completion work for them too; Beam still parses and validates the values.
 */
final class BeamOptionCatalog {
  private BeamOptionCatalog() {}

  /** One Beam option: its name (without --), the interface declaring it, and its annotations. */
  record BeamOption(String name, Class<?> declaredIn, Class<?> type, String description,
      String defaultText, boolean required) {
    boolean isFlag() {
      return type == boolean.class || type == Boolean.class;
    }

    /** Declared by one of our interfaces (not Beam's, a runner's or AWS's). */
    boolean ours() {
      return declaredIn.getName().startsWith("org.livemetrics.");
    }
  }

  /**
   * Every option of {@code own} and of the registered interfaces, each once (the first interface
   * that declares it wins: ours before Beam's), in declaration order.
   */
  static List<BeamOption> options(Class<? extends PipelineOptions> own) {
    Map<String, BeamOption> byName = new LinkedHashMap<>();
    Set<Class<?>> interfaces = new LinkedHashSet<>();
    interfaces.addAll(withSuperInterfaces(own));
    for (Class<? extends PipelineOptions> c : PipelineOptionsFactory.getRegisteredOptions()) {
      interfaces.addAll(withSuperInterfaces(c));
    }
    for (Class<?> c : interfaces) {
      // Sorted: reflection's order is unspecified, and help must read the same on every run.
      Method[] methods = c.getDeclaredMethods();
      Arrays.sort(methods, java.util.Comparator.comparing(Method::getName));
      for (Method m : methods) {
        String name = propertyName(m);
        if (name == null || byName.containsKey(name) || m.isAnnotationPresent(Hidden.class)
            || c.isAnnotationPresent(Hidden.class)) {
          continue;
        }
        Description d = m.getAnnotation(Description.class);
        byName.put(name, new BeamOption(name, c, m.getReturnType(),
            d == null ? "" : d.value(), defaultText(m), m.isAnnotationPresent(Validation.Required.class)));
      }
    }
    return new ArrayList<>(byName.values());
  }

  /** {@code c} and all the interfaces it extends, breadth first (c's own first). */
  private static List<Class<?>> withSuperInterfaces(Class<?> c) {
    List<Class<?>> all = new ArrayList<>();
    Deque<Class<?>> todo = new ArrayDeque<>(List.of(c));
    while (!todo.isEmpty()) {
      Class<?> next = todo.removeFirst();
      if (!all.contains(next)) {
        all.add(next);
        todo.addAll(Arrays.asList(next.getInterfaces()));
      }
    }
    return all;
  }

  private static String propertyName(Method m) {
    if (m.getParameterCount() != 0 || m.isDefault() || java.lang.reflect.Modifier.isStatic(m.getModifiers())) {
      return null;
    }
    String n = m.getName();
    if (n.startsWith("get") && n.length() > 3) {
      return Introspector.decapitalize(n.substring(3));
    }
    if (n.startsWith("is") && n.length() > 2 && (m.getReturnType() == boolean.class
        || m.getReturnType() == Boolean.class)) {
      return Introspector.decapitalize(n.substring(2));
    }
    return null;
  }

  private static String defaultText(Method m) {
    if (m.getAnnotation(Default.String.class) != null) {
      String v = m.getAnnotation(Default.String.class).value();
      return v.isEmpty() ? "" : v;
    }
    if (m.getAnnotation(Default.Boolean.class) != null) {
      return String.valueOf(m.getAnnotation(Default.Boolean.class).value());
    }
    if (m.getAnnotation(Default.Integer.class) != null) {
      return String.valueOf(m.getAnnotation(Default.Integer.class).value());
    }
    if (m.getAnnotation(Default.Long.class) != null) {
      return String.valueOf(m.getAnnotation(Default.Long.class).value());
    }
    if (m.getAnnotation(Default.Double.class) != null) {
      return String.valueOf(m.getAnnotation(Default.Double.class).value());
    }
    if (m.getAnnotation(Default.Enum.class) != null) {
      return m.getAnnotation(Default.Enum.class).value();
    }
    if (m.getAnnotation(Default.Class.class) != null) {
      return m.getAnnotation(Default.Class.class).value().getSimpleName();
    }
    if (m.getAnnotation(Default.InstanceFactory.class) != null) {
      return ""; // computed at run time: the description says how
    }
    return "";
  }
}
