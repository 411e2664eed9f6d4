package io.github.spectatorboot.aop;

/** Tag keys and values the aspects write, named once for the aspects, the validator and the docs. */
final class AspectTags {

  /** Short name of the bean's class, for example {@code OrderService} or {@code Outer.Inner}. */
  static final String CLASS = "class";
  /** Name of the called method. */
  static final String METHOD = "method";
  /** Simple class name of what the call threw, {@link #NONE} or {@link #CANCELLED}. */
  static final String EXCEPTION = "exception";
  /** For {@code @Counted}: {@link #SUCCESS}, {@link #FAILURE} or {@link #CANCELLED}. */
  static final String RESULT = "result";

  static final String NONE = "none";
  static final String SUCCESS = "success";
  static final String FAILURE = "failure";
  /** Both the exception and the result of a cancelled subscription or stage. */
  static final String CANCELLED = "cancelled";

  private AspectTags() {}
}
