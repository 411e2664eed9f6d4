package io.github.spectatorboot.startup;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.boot.context.metrics.buffering.StartupTimeline.TimelineEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.metrics.ApplicationStartup;
import org.springframework.core.metrics.StartupStep;

/**
 * One start of {@link BareApplication} recorded with Boot's {@link BufferingApplicationStartup},
 * for {@code benchmarks/startup-steps.sh}. With {@code --spectator.enabled=false} it writes the names
 * of the beans the application creates without the starter to {@code OFF_BEANS}; otherwise it
 * attributes to the starter the bean steps ({@code spring.beans.instantiate},
 * {@code spring.beans.smart-initialize}) of its own beans, plus those of beans that only exist
 * because one of its beans asked for them (created under one of its steps and absent from
 * {@code OFF_BEANS}), each step counted for its own time (its duration minus that of the steps
 * nested in it), in wall-clock time and in the CPU time of the thread that ran them. Prints one line
 * {@code STARTUP-STEPS wallMs attributedMs parseMs attributedCpuMs}, and per step the attributed
 * wall-clock and CPU milliseconds, largest first, to {@code DETAILS}.
 *
 * <p>Usage: {@code StartupSteps OFF_BEANS DETAILS [--property=value ...]}
 */
public final class StartupSteps {

  private static final String STARTER_PACKAGE = "io.github.spectatorboot.";
  private static final Set<String> NOT_THE_STARTER = Set.of("io.github.spectatorboot.startup.",
      "io.github.spectatorboot.sample.");
  private static final Set<String> BEAN_STEPS = Set.of("spring.beans.instantiate", "spring.beans.smart-initialize");

  public static void main(String[] args) throws Exception {
    if (args.length == 1 && args[0].equals("--preinitializer-cost")) {
      // the background-preinit thread's work, in a fresh JVM where nothing of it is loaded yet: an upper bound
      long cpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
      new io.github.spectatorboot.autoconfigure.SpectatorBackgroundPreinitializer().preinitialize();
      System.out.printf(Locale.ROOT, "PREINITIALIZER-CPU %.1f%n",
          (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu) / 1_000_000.0);
      return;
    }
    Path offBeans = Path.of(args[0]);
    Path details = Path.of(args[1]);
    String[] appArgs = List.of(args).subList(2, args.length).toArray(String[]::new);
    boolean starterOff = List.of(appArgs).contains("--spectator.enabled=false");

    BufferingApplicationStartup startup = new BufferingApplicationStartup(1_000_000);
    Map<Long, Long> cpuNanos = new ConcurrentHashMap<>();
    Map<Long, long[]> spans = new ConcurrentHashMap<>();
    long marked = System.nanoTime();
    WindowMarker.touch(); // its class+load line in -Xlog:class+load:...:uptimenanos happens at `marked`
    SpringApplication application = new SpringApplication(BareApplication.class);
    application.setApplicationStartup(new CpuTimed(startup, cpuNanos, spans));
    long started = System.nanoTime();
    try (ConfigurableApplicationContext context = application.run(appArgs)) {
      long wallMs = Duration.ofNanos(System.nanoTime() - started).toMillis();
      List<TimelineEvent> events = startup.getBufferedTimeline().getEvents();
      double parseMs = events.stream().filter(e -> e.getStartupStep().getName().equals("spring.context.config-classes.parse"))
          .mapToDouble(e -> millis(e.getDuration())).sum();
      if (starterOff) {
        Set<String> names = new HashSet<>();
        for (TimelineEvent e : events) {
          String bean = beanName(e.getStartupStep());
          if (bean != null) {
            names.add(bean);
          }
        }
        Files.write(offBeans, new TreeSet<>(names));
        System.out.printf(Locale.ROOT, "STARTUP-STEPS %d %.1f %.1f %.1f%n", wallMs, 0.0, parseMs, 0.0);
        return;
      }
      Set<String> withoutStarter = Files.exists(offBeans) ? new HashSet<>(Files.readAllLines(offBeans)) : Set.of();
      Map<Long, Double> wall = new HashMap<>();
      Map<Long, Double> cpu = new HashMap<>();
      for (TimelineEvent e : events) {
        long id = e.getStartupStep().getId();
        wall.put(id, millis(e.getDuration()));
        cpu.put(id, cpuNanos.getOrDefault(id, 0L) / 1_000_000.0);
      }
      Map<String, Double> attributed = attribute(events, wall, context.getBeanFactory(), withoutStarter);
      Map<String, Double> attributedCpu = attribute(events, cpu, context.getBeanFactory(), withoutStarter);
      double total = attributed.values().stream().mapToDouble(Double::doubleValue).sum();
      double totalCpu = attributedCpu.values().stream().mapToDouble(Double::doubleValue).sum();
      List<String> lines = new ArrayList<>();
      attributed.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
          .forEach(e -> lines.add(String.format(Locale.ROOT, "%.2f %.2f %s", e.getValue(),
              attributedCpu.getOrDefault(e.getKey(), 0.0), e.getKey())));
      Files.write(details, lines);
      String classLog = System.getProperty("startup.classlog");
      if (classLog != null) {
        writeStartersClasses(events, spans, marked, context.getBeanFactory(), withoutStarter, Path.of(classLog),
            Path.of(System.getProperty("startup.classes", "starter-classes.txt")));
      }
      System.out.printf(Locale.ROOT, "STARTUP-STEPS %d %.1f %.1f %.1f%n", wallMs, total, parseMs, totalCpu);
    }
  }

  /** Milliseconds ({@code ms}: of each step by id) of the starter's bean steps, each without its nested steps. */
  private static Map<String, Double> attribute(List<TimelineEvent> events, Map<Long, Double> ms,
      ConfigurableListableBeanFactory beans, Set<String> withoutStarter) {
    Map<Long, TimelineEvent> byId = new HashMap<>();
    Map<Long, Double> nestedMs = new HashMap<>();
    for (TimelineEvent e : events) {
      byId.put(e.getStartupStep().getId(), e);
    }
    for (TimelineEvent e : events) {
      Long parent = e.getStartupStep().getParentId();
      if (parent != null) {
        nestedMs.merge(parent, ms.get(e.getStartupStep().getId()), Double::sum);
      }
    }
    Map<String, Double> attributed = new HashMap<>();
    for (TimelineEvent e : events) {
      String bean = beanName(e.getStartupStep());
      if (bean == null) {
        continue;
      }
      if (isAttributed(e, bean, byId, beans, withoutStarter)) {
        double own = ms.get(e.getStartupStep().getId()) - nestedMs.getOrDefault(e.getStartupStep().getId(), 0.0);
        attributed.merge(e.getStartupStep().getName().substring("spring.beans.".length()) + " " + bean, own,
            Double::sum);
      }
    }
    return attributed;
  }

  /** Whether a bean step is the starter's: one of its beans, or a bean only a step of its beans asked for. */
  private static boolean isAttributed(TimelineEvent e, String bean, Map<Long, TimelineEvent> byId,
      ConfigurableListableBeanFactory beans, Set<String> withoutStarter) {
    return isStarters(bean, beans) || (!withoutStarter.contains(bean) && underStarterStep(e, byId, beans));
  }

  /**
   * Writes "bean class" for each class the JVM loaded during the starter's bean steps (each step's
   * own time, nested steps left out), read from {@code -Xlog:class+load:file=LOG:uptimenanos}, whose
   * clock is aligned on the line of {@link WindowMarker}.
   */
  private static void writeStartersClasses(List<TimelineEvent> events, Map<Long, long[]> spans, long marked,
      ConfigurableListableBeanFactory beans, Set<String> withoutStarter, Path log, Path out) throws IOException {
    long markerAt = -1;
    List<Map.Entry<Long, String>> loads = new ArrayList<>();
    for (String line : Files.readAllLines(log)) {
      int ns = line.indexOf("ns] ");
      if (!line.startsWith("[") || ns < 0) {
        continue;
      }
      long at = Long.parseLong(line.substring(1, ns));
      String name = line.substring(ns + 4).split(" ", 2)[0];
      if (name.endsWith("$WindowMarker")) {
        markerAt = at;
      }
      loads.add(Map.entry(at, name));
    }
    Map<Long, TimelineEvent> byId = new HashMap<>();
    Map<Long, List<long[]>> nested = new HashMap<>();
    for (TimelineEvent e : events) {
      byId.put(e.getStartupStep().getId(), e);
      Long parent = e.getStartupStep().getParentId();
      long[] span = spans.get(e.getStartupStep().getId());
      if (parent != null && span != null) {
        nested.computeIfAbsent(parent, k -> new ArrayList<>()).add(span);
      }
    }
    long offset = markerAt - marked; // log time = nanoTime + offset
    List<String> lines = new ArrayList<>();
    for (TimelineEvent e : events) {
      String bean = beanName(e.getStartupStep());
      long[] span = spans.get(e.getStartupStep().getId());
      if (bean == null || span == null || !isAttributed(e, bean, byId, beans, withoutStarter)) {
        continue;
      }
      List<long[]> inner = nested.getOrDefault(e.getStartupStep().getId(), List.of());
      for (Map.Entry<Long, String> load : loads) {
        long at = load.getKey() - offset;
        if (at >= span[0] && at <= span[1] && inner.stream().noneMatch(n -> at >= n[0] && at <= n[1])) {
          lines.add(bean + " " + load.getValue());
        }
      }
    }
    Files.write(out, lines);
  }

  private static boolean underStarterStep(TimelineEvent e, Map<Long, TimelineEvent> byId,
      ConfigurableListableBeanFactory beans) {
    for (Long p = e.getStartupStep().getParentId(); p != null; ) {
      TimelineEvent parent = byId.get(p);
      if (parent == null) {
        return false;
      }
      String bean = beanName(parent.getStartupStep());
      if (bean != null && isStarters(bean, beans)) {
        return true;
      }
      p = parent.getStartupStep().getParentId();
    }
    return false;
  }

  /** A bean of the starter: of one of its types, or made by one of its auto-configurations. */
  private static boolean isStarters(String bean, ConfigurableListableBeanFactory beans) {
    if (isStartersName(bean)) {
      return true; // the auto-configuration classes and the properties bean
    }
    if (!beans.containsBeanDefinition(bean)) {
      return false;
    }
    BeanDefinition definition = beans.getBeanDefinition(bean);
    String factory = definition.getFactoryBeanName();
    if (factory != null && beans.containsBeanDefinition(factory)
        && isStartersName(beans.getBeanDefinition(factory).getBeanClassName())) {
      return true; // an instance @Bean method of an auto-configuration
    }
    if (isStartersName(definition.getBeanClassName())) {
      return true; // a static @Bean method of an auto-configuration, or a class of the starter
    }
    Class<?> type = beans.getType(bean, false);
    return type != null && isStartersName(type.getName());
  }

  private static boolean isStartersName(String name) {
    if (name == null) {
      return false;
    }
    int at = name.indexOf(STARTER_PACKAGE);
    if (at < 0) {
      return false;
    }
    String qualified = name.substring(at);
    return NOT_THE_STARTER.stream().noneMatch(qualified::startsWith);
  }

  private static String beanName(StartupStep step) {
    if (!BEAN_STEPS.contains(step.getName())) {
      return null;
    }
    for (StartupStep.Tag tag : step.getTags()) {
      if (tag.getKey().equals("beanName")) {
        return tag.getValue();
      }
    }
    return null;
  }

  /**
   * Boot's buffering startup, with the CPU time of the thread that ran each step: unlike the
   * steps' wall-clock time, it hardly changes with what else the machine runs.
   */
  private record CpuTimed(BufferingApplicationStartup delegate, Map<Long, Long> cpuNanos, Map<Long, long[]> spans)
      implements ApplicationStartup {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    @Override public StartupStep start(String name) {
      StartupStep step = delegate.start(name);
      long startedCpu = THREADS.getCurrentThreadCpuTime();
      long started = System.nanoTime();
      return new StartupStep() {
        @Override public String getName() {
          return step.getName();
        }

        @Override public long getId() {
          return step.getId();
        }

        @Override public Long getParentId() {
          return step.getParentId();
        }

        @Override public StartupStep tag(String key, String value) {
          step.tag(key, value);
          return this;
        }

        @Override public StartupStep tag(String key, Supplier<String> value) {
          step.tag(key, value);
          return this;
        }

        @Override public Tags getTags() {
          return step.getTags();
        }

        @Override public void end() {
          cpuNanos.put(step.getId(), THREADS.getCurrentThreadCpuTime() - startedCpu);
          spans.put(step.getId(), new long[] {started, System.nanoTime()});
          step.end();
        }
      };
    }
  }

  /** Loaded at a known time, so that class-loading logs can be read against the steps' spans. */
  private static final class WindowMarker {
    static void touch() {
    }
  }

  private static double millis(Duration d) {
    return d.toNanos() / 1_000_000.0;
  }
}
