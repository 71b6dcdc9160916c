package io.statecast.devtools;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The condition "its API names no type of an {@code .internal} package": for a class of a public package,
 * every type in the signature of its public and protected constructors, methods and fields (return,
 * parameters, type arguments, declared exceptions, field type) and its supertypes.
 */
final class NoInternalTypeInPublicApi extends ArchCondition<JavaClass> {
    NoInternalTypeInPublicApi() {
        super("name no type of an .internal package in their public or protected signatures");
    }

    /** Whether a class is API: public, and every class enclosing it public too. */
    static boolean isApi(JavaClass c) {
        for (JavaClass k = c; k != null; k = k.getEnclosingClass().orElse(null)) {
            if (!k.getModifiers().contains(JavaModifier.PUBLIC)) {
                return false;
            }
        }
        return !c.getPackageName().contains(".internal");
    }

    @Override
    public void check(JavaClass c, ConditionEvents events) {
        Stream.concat(c.getRawSuperclass().stream(), c.getRawInterfaces().stream())
                .filter(NoInternalTypeInPublicApi::internal)
                .forEach(t -> violation(events, c, c.getName() + " extends or implements " + t.getName()));
        for (JavaMember m : c.getMembers()) {
            if (visible(m)) {
                for (JavaClass t : involved(m)) {
                    if (internal(t)) {
                        violation(events, c, m.getFullName() + " names " + t.getName());
                    }
                }
            }
        }
    }

    private static void violation(ConditionEvents events, JavaClass c, String message) {
        events.add(SimpleConditionEvent.violated(c, message));
    }

    private static boolean visible(JavaMember m) {
        Set<JavaModifier> mods = m.getModifiers();
        return !m.getModifiers().contains(JavaModifier.SYNTHETIC)
                && (mods.contains(JavaModifier.PUBLIC) || mods.contains(JavaModifier.PROTECTED));
    }

    private static Set<JavaClass> involved(JavaMember m) {
        Set<JavaClass> out = new LinkedHashSet<>();
        if (m instanceof JavaField f) {
            out.addAll(f.getType().getAllInvolvedRawTypes());
        } else if (m instanceof JavaCodeUnit u) {
            out.addAll(u.getReturnType().getAllInvolvedRawTypes());
            for (JavaType p : u.getParameterTypes()) {
                out.addAll(p.getAllInvolvedRawTypes());
            }
            u.getThrowsClause().getTypes().forEach(out::add);
        }
        return out;
    }

    private static boolean internal(JavaClass t) {
        JavaClass base = t.isArray() ? t.getBaseComponentType() : t;
        return base.getPackageName().startsWith("io.statecast.")
                && base.getPackageName().contains(".internal");
    }
}
