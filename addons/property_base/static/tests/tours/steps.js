/**
 * Tour steps shared by the suite's tours.
 */

/**
 * Pick a record in a many2one field as a person does: type part of its name, then click the
 * dropdown item that shows ``label`` (``label`` defaults to what was typed).
 */
export function pickInDropdown(field, typed, label = typed, content = undefined) {
    return [
        { trigger: `.o_field_widget[name=${field}] input`, run: `edit ${typed}` },
        {
            content: content || `The ${field} dropdown offers ${label}`,
            trigger: `.o_field_widget[name=${field}] .o-autocomplete--dropdown-item a:contains(${label})`,
            run: "click",
        },
    ];
}
