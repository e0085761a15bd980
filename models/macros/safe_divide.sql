{#- A share or average that is NULL, not an error, when the denominator is zero. -#}
{% macro safe_divide(numerator, denominator) -%}
    (({{ numerator }}) / nullif({{ denominator }}, 0))
{%- endmacro %}
